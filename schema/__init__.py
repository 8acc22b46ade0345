"""The hub's GraphQL schema, an Apollo Federation v2 subgraph. `build_schema()` is the one place it is made."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.extensions import SchemaExtension

from schema.query import Query
from schema.types import Competence, Offer, Provider


def build_schema(extensions: Sequence[SchemaExtension | type[SchemaExtension]] = ()) -> strawberry.Schema:
    return strawberry.federation.Schema(query=Query, types=[Offer, Provider, Competence], extensions=list(extensions),
                                        federation_version="2.5")


def sdl() -> str:
    return build_schema().as_str() + "\n"
