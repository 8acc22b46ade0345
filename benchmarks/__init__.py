"""Benchmarks of the hub: search on the snapshot, the HTTP API, Strawberry's validation cache, and ingest.

Each benchmark is a module run as `.venv/bin/python -m benchmarks.<name>` (add `--quick` for a smoke run) and
writes its results as a section of `benchmarks/RESULTS_api.md`. The catalogues come from `benchmarks.synthetic`,
a seeded generator, so every run measures the same data.
"""
