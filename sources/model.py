"""The canonical offer: the one shape every adapter maps into and the store keeps.

Adapters return plain dicts; `validate_offer` turns them into an `Offer` or a list of human-readable
reasons that go to the quarantine. Field names are camelCase in MongoDB and GraphQL alike.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from sources.taxonomy import Taxonomy

DEFAULT_LEVEL = 2  # DESIGN.md: a competence taught without a declared level counts as level 2


class Format(StrEnum):
    ONLINE = "ONLINE"
    PRESENCE = "PRESENCE"
    HYBRID = "HYBRID"


class Kind(StrEnum):
    BASIS = "BASIS"
    INTENSIV = "INTENSIV"
    BONUS = "BONUS"


class Status(StrEnum):
    ACTIVE = "ACTIVE"
    RETIRED = "RETIRED"


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              str_strip_whitespace=True)


def _language(value: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"language {value!r} is not an ISO 639-1 code such as 'de'")
    return code


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"url {value!r} must start with http:// or https://")
    return value


class CompetenceLevel(_Model):
    competence: str = Field(pattern=r"^[a-z][a-z0-9-]*:[A-Za-z0-9._-]+$")
    level: int = Field(default=DEFAULT_LEVEL, ge=1, le=8)

    @field_validator("competence")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        taxonomy: Taxonomy | None = (info.context or {}).get("taxonomy")
        if taxonomy is not None and value not in taxonomy:
            raise ValueError(f"unknown competence {value!r}")
        return value


class Location(_Model):
    name: str | None = None
    city: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both_or_neither(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("location needs both lat and lon, or neither")
        return self


class Run(_Model):
    id: str = Field(min_length=1, max_length=64)
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Run:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"run {self.id}: end {self.end} is before start {self.start}")
        if self.end and not self.start:
            raise ValueError(f"run {self.id}: has an end date but no start date")
        return self


class Offer(_Model):
    """The canonical offer as an adapter delivers it (without the store's bookkeeping fields)."""

    provider: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    external_id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=20_000)
    url: Annotated[str, AfterValidator(_url)] | None = None
    languages: list[Annotated[str, AfterValidator(_language)]] = Field(default_factory=lambda: ["de"])
    kind: Kind | None = None
    format: Format
    self_paced: bool = False
    hours: float = Field(ge=0, le=10_000)
    ects: float | None = Field(default=None, ge=0, le=300)
    price_eur: float = Field(default=0.0, ge=0, le=1_000_000)
    certificate: str | None = None
    competences: list[CompetenceLevel] = Field(default_factory=list)
    prerequisites: list[CompetenceLevel] = Field(default_factory=list)
    location: Location | None = None
    runs: list[Run] = Field(min_length=1)

    @field_validator("languages")
    @classmethod
    def _dedupe_languages(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value)) or ["de"]

    @field_validator("runs")
    @classmethod
    def _unique_runs(cls, value: list[Run]) -> list[Run]:
        ids = [run.id for run in value]
        if len(ids) != len(set(ids)):
            raise ValueError("run ids must be unique within an offer")
        return value

    @property
    def id(self) -> str:
        return f"{self.provider}:{self.external_id}"

    def content_hash(self) -> str:
        payload = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def to_document(self) -> dict[str, Any]:
        """The offer's content as stored; BSON has no date type, so run days become UTC midnights."""
        doc = self.model_dump(mode="python", by_alias=True)
        doc["_id"] = self.id
        doc["kind"] = self.kind.value if self.kind else None
        doc["format"] = self.format.value
        doc["runs"] = [
            {"id": r["id"], "start": _as_datetime(r["start"]), "end": _as_datetime(r["end"])} for r in doc["runs"]
        ]
        doc["contentHash"] = self.content_hash()
        return doc


def _as_datetime(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def validate_offer(fields: dict[str, Any], taxonomy: Taxonomy | None) -> Offer:
    """Validate an adapter's mapping; raises `InvalidRecord` with one reason per problem."""
    try:
        return Offer.model_validate(fields, context={"taxonomy": taxonomy})
    except ValidationError as exc:
        raise InvalidRecord([_reason(err) for err in exc.errors(include_url=False)]) from None


class InvalidRecord(Exception):
    """A raw record that cannot become a canonical offer; `reasons` say why, one line each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _reason(err: Any) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()))
    message = str(err.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
