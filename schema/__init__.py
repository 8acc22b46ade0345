"""The hub's GraphQL schema. `build_schema()` is the one place the Schema object is made."""

from __future__ import annotations

import strawberry

from schema.query import Query


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query)


def sdl() -> str:
    return build_schema().as_str() + "\n"
