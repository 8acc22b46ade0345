"""Adapters by name: the built-in ones, plus any installed package's entry point in `kommunalcampus.sources`.

A partner ships `[project.entry-points."kommunalcampus.sources"] myformat = "mypkg:MyAdapter"` and the hub
finds it without a change of its own. A plug-in that fails to import is reported, not fatal for the others.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from sources.dhbw import DhbwAdapter
from sources.egov import EgovCampusAdapter
from sources.hfpv import HfpvAdapter
from sources.moochub import MoochubAdapter
from sources.speyer import SpeyerAdapter
from sources.xcri import XcriAdapter

ENTRY_POINT_GROUP = "kommunalcampus.sources"
BUILTIN: dict[str, type[Any]] = {
    cls.name: cls
    for cls in (MoochubAdapter, XcriAdapter, EgovCampusAdapter, DhbwAdapter, HfpvAdapter, SpeyerAdapter)
}


class UnknownAdapter(LookupError):
    pass


def plugins() -> tuple[dict[str, type[Any]], dict[str, str]]:
    """Installed plug-in adapters by name, and the ones that could not be loaded with the reason."""
    loaded: dict[str, type[Any]] = {}
    broken: dict[str, str] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in BUILTIN:
            broken[ep.name] = f"{ep.value}: a plug-in cannot replace the built-in adapter"
            continue
        try:
            loaded[ep.name] = ep.load()
        except Exception as exc:
            broken[ep.name] = f"{ep.value}: {type(exc).__name__}: {exc}"
    return loaded, broken


def available() -> dict[str, type[Any]]:
    return {**BUILTIN, **plugins()[0]}


def adapter_class(name: str) -> type[Any]:
    if name in BUILTIN:
        return BUILTIN[name]
    loaded, broken = plugins()
    if name in loaded:
        return loaded[name]
    if name in broken:
        raise UnknownAdapter(f"adapter {name!r} is installed but cannot be loaded: {broken[name]}")
    known = ", ".join(sorted({*BUILTIN, *loaded}))
    raise UnknownAdapter(f"unknown adapter {name!r}; known adapters: {known}")
