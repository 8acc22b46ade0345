"""The hub's GraphQL schema, an Apollo Federation v2 subgraph. `build_schema()` is the one place it is made."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.errors import HubErrors
from schema.limits import Limits, LimitsExtension, validation_rules
from schema.query import Query
from schema.types import Competence, Offer, Provider

CACHE_SIZE = 512


def build_schema(limits: Limits | None = None, field_suggestions: bool = True) -> strawberry.Schema:
    limits = limits or Limits()
    rules = validation_rules(limits)  # once: the validation cache keys on these classes
    return strawberry.federation.Schema(
        query=Query,
        types=[Offer, Provider, Competence],
        extensions=[
            lambda: LimitsExtension(rules, limits.max_tokens),
            lambda: ParserCache(maxsize=CACHE_SIZE),
            lambda: ValidationCache(maxsize=CACHE_SIZE),
            HubErrors,
        ],
        config=StrawberryConfig(disable_field_suggestions=not field_suggestions),
        federation_version="2.5",
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
