"""GraphQL object types. Each wraps a plain document from `resolvers/`; nested objects load via DataLoaders."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.types import Info

from resolvers.context import HubContext
from resolvers.matching import similar
from resolvers.queries import competence_level_counts, page_size
from schema.enums import Format, Kind, OfferSort, OfferStatus
from schema.inputs import OfferFilterInput

if TYPE_CHECKING:
    from schema.search import OfferConnection

HubInfo = Info[HubContext, None]


@strawberry.interface(description="An object with a globally unique id (Relay); fetch any of them with `node`.")
class Node:
    id: strawberry.ID


def _label(labels: dict[str, str], lang: str) -> str:
    return labels.get(lang) or labels.get("de") or labels.get("en") or next(iter(labels.values()), "")


@strawberry.type(description="A competence framework area, e.g. DigComp area 4 'Safety'.")
class CompetenceArea:
    code: str
    labels: strawberry.Private[dict[str, str]]

    @strawberry.field(description="Label in the given language (de or en); falls back to German.")
    def label(self, lang: str = "de") -> str:
        return _label(self.labels, lang)


@strawberry.type(description="Offers at one proficiency level.")
class LevelCount:
    level: int
    count: int


@strawberry.type(description="A competence of DigComp 2.2 (`digcomp:4.2`) or the hub's own framework (`kc:...`).",
                 directives=[Key(fields="id")])
class Competence(Node):
    id: strawberry.ID
    framework: str
    code: str
    labels: strawberry.Private[dict[str, str]]
    descriptions: strawberry.Private[dict[str, str]]
    area: CompetenceArea

    @strawberry.field(description="Label in the given language (de or en); falls back to German.")
    def label(self, lang: str = "de") -> str:
        return _label(self.labels, lang)

    @strawberry.field
    def description(self, lang: str = "de") -> str:
        return _label(self.descriptions, lang)

    @strawberry.field(description="Active offers teaching this competence, per exact level 1–8.")
    def offer_counts(self, info: HubInfo) -> list[LevelCount]:
        counts = competence_level_counts(info.context, str(self.id))
        return [LevelCount(level=level, count=counts[level]) for level in range(1, 9)]

    @strawberry.field(description="Active offers teaching this competence at `minLevel` or above.")
    def offer_count(self, info: HubInfo, min_level: int = 1) -> int:
        counts = competence_level_counts(info.context, str(self.id))
        return sum(counts[max(1, min_level):9])

    @classmethod
    async def resolve_reference(cls, info: HubInfo, id: strawberry.ID) -> Competence | None:
        doc = await info.context.loaders.competence.load(str(id))
        return cls.from_doc(doc) if doc else None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Competence:
        area = doc.get("area") or {}
        return cls(id=strawberry.ID(doc["_id"]), framework=doc["framework"], code=doc["code"],
                   labels=doc.get("label") or {}, descriptions=doc.get("description") or {},
                   area=CompetenceArea(code=area.get("code", ""), labels=area.get("label") or {}))


@strawberry.type(description="A competence at a proficiency level (1–8).")
class CompetenceLevel:
    competence_id: strawberry.Private[str]
    level: int

    @strawberry.field
    async def competence(self, info: HubInfo) -> Competence:
        doc = await info.context.loaders.competence.load(self.competence_id)
        if doc is None:  # the taxonomy is loaded at start and adapters validate codes against it
            return Competence(id=strawberry.ID(self.competence_id), framework=self.competence_id.split(":")[0],
                              code=self.competence_id.split(":", 1)[-1], labels={}, descriptions={},
                              area=CompetenceArea(code="", labels={}))
        return Competence.from_doc(doc)


@strawberry.type(description="One separately bookable date of an offer; undated for self-paced offers.")
class Run:
    id: strawberry.ID
    start: date | None
    end: date | None


@strawberry.type
class Location:
    name: str | None
    city: str | None
    lat: float | None
    lon: float | None


@strawberry.type(description="A partner university or academy that feeds offers into the hub.",
                 directives=[Key(fields="id")])
class Provider(Node):
    id: strawberry.ID
    name: str
    adapter: str | None
    last_ingest_at: datetime | None

    @strawberry.field(description="Number of ACTIVE offers.")
    async def offer_count(self, info: HubInfo) -> int:
        return await info.context.loaders.provider_offer_count.load(str(self.id))

    @strawberry.field(description="The provider's active offers, searchable like `Query.offers`.")
    async def offers(self, info: HubInfo, search: str | None = None,
                     filter: OfferFilterInput | None = None, sort: OfferSort = OfferSort.RELEVANCE,
                     first: int | None = 20, after: str | None = None,
                     ) -> Annotated[OfferConnection, strawberry.lazy("schema.search")]:
        from schema.search import offer_connection  # the connection type wraps Offer, defined below

        return await offer_connection(info, search, filter, sort, first, after, str(self.id))

    @classmethod
    async def resolve_reference(cls, info: HubInfo, id: strawberry.ID) -> Provider | None:
        doc = await info.context.loaders.provider.load(str(id))
        return cls.from_doc(doc) if doc else None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Provider:
        return cls(id=strawberry.ID(doc["_id"]), name=doc.get("name") or doc["_id"], adapter=doc.get("adapter"),
                   last_ingest_at=doc.get("lastIngestAt"))


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@strawberry.type(description="A learning unit offered by a provider (the canonical offer).",
                 directives=[Key(fields="id")])
class Offer(Node):
    id: strawberry.ID
    external_id: str
    title: str
    description: str
    url: str | None
    provider_id: strawberry.Private[str]
    format: Format
    kind: Kind | None
    self_paced: bool
    hours: float
    ects: float | None
    price_eur: float
    certificate: str | None
    languages: list[str]
    competences: list[CompetenceLevel]
    prerequisites: list[CompetenceLevel]
    runs: list[Run]
    location: Location | None
    status: OfferStatus
    first_seen: datetime | None
    last_seen: datetime | None

    @strawberry.field
    async def provider(self, info: HubInfo) -> Provider:
        doc = await info.context.loaders.provider.load(self.provider_id)
        return Provider.from_doc(doc or {"_id": self.provider_id})

    @strawberry.field(description="Active offers teaching the same competences at similar levels, most similar "
                                  "first (`first` at most 100).")
    async def similar(self, info: HubInfo, first: int | None = 5) -> list[Offer]:
        ids = similar(info.context, str(self.id), page_size(first, default=5))
        docs = await info.context.loaders.offer.load_many(ids)
        return [Offer.from_doc(d) for d in docs if d]

    @classmethod
    async def resolve_reference(cls, info: HubInfo, id: strawberry.ID) -> Offer | None:
        doc = await info.context.loaders.offer.load(str(id))
        return cls.from_doc(doc) if doc else None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Offer:
        loc = doc.get("location")
        return cls(
            id=strawberry.ID(doc["_id"]), external_id=doc["externalId"], title=doc["title"],
            description=doc.get("description") or "", url=doc.get("url"), provider_id=doc["provider"],
            format=Format(doc["format"]), kind=Kind(doc["kind"]) if doc.get("kind") else None,
            self_paced=bool(doc.get("selfPaced")), hours=float(doc.get("hours") or 0), ects=doc.get("ects"),
            price_eur=float(doc.get("priceEur") or 0), certificate=doc.get("certificate"),
            languages=list(doc.get("languages") or []),
            competences=[CompetenceLevel(competence_id=c["competence"], level=c["level"])
                         for c in doc.get("competences") or []],
            prerequisites=[CompetenceLevel(competence_id=c["competence"], level=c["level"])
                           for c in doc.get("prerequisites") or []],
            runs=[Run(id=strawberry.ID(r["id"]), start=_day(r.get("start")), end=_day(r.get("end")))
                  for r in doc.get("runs") or []],
            location=Location(name=loc.get("name"), city=loc.get("city"), lat=loc.get("lat"), lon=loc.get("lon"))
            if loc else None,
            status=OfferStatus(doc.get("status", "ACTIVE")), first_seen=doc.get("firstSeen"),
            last_seen=doc.get("lastSeen"),
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None
