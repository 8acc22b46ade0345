"""Typed inputs: every client value arrives as a scalar of a declared type, never as a filter document."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import strawberry

from resolvers.search import OfferFilter, make_filter
from schema.enums import Format, Kind

if TYPE_CHECKING:
    from schema.types import HubInfo


@strawberry.input(description="A point on earth (WGS 84).")
class GeoPointInput:
    lat: float
    lon: float


@strawberry.input(description="Search filters; all given conditions must hold, list values match any of.")
class OfferFilterInput:
    providers: list[strawberry.ID] | None = None
    formats: list[Format] | None = None
    languages: list[str] | None = strawberry.field(default=None, description="ISO 639-1 codes, e.g. de, en")
    competences: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Offers teaching any of these competences at `minLevel` or above")
    min_level: int = 1
    max_price_eur: float | None = None
    free_only: bool = False
    max_hours: float | None = None
    start_after: date | None = strawberry.field(default=None, description="A run must start on or after this day")
    end_before: date | None = strawberry.field(default=None, description="A run must end on or before this day")
    near: GeoPointInput | None = None
    max_distance_km: float | None = strawberry.field(
        default=None, description="With `near`: on-site and hybrid offers within this distance; online ones pass")
    self_paced: bool | None = None
    kinds: list[Kind] | None = None

    def to_filter(self, info: HubInfo, force_provider: str | None = None) -> OfferFilter:
        providers = [str(p) for p in self.providers] if self.providers is not None else None
        if force_provider is not None:
            providers = [force_provider] if providers is None or force_provider in providers else []
        return make_filter(
            info.context, providers=providers,
            formats=[f.value for f in self.formats] if self.formats is not None else None,
            languages=self.languages,
            competences=[str(c) for c in self.competences] if self.competences is not None else None,
            min_level=self.min_level,
            max_price_eur=self.max_price_eur, free_only=self.free_only, max_hours=self.max_hours,
            start_after=self.start_after, end_before=self.end_before,
            near=(self.near.lat, self.near.lon) if self.near else None, max_distance_km=self.max_distance_km,
            self_paced=self.self_paced, kinds=[k.value for k in self.kinds] if self.kinds is not None else None,
        )


def filter_or_default(value: OfferFilterInput | None, info: HubInfo, force_provider: str | None = None,
                      ) -> OfferFilter:
    return (value or OfferFilterInput()).to_filter(info, force_provider)
