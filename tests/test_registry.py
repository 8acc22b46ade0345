"""Adapters by name: the built-in sources, their defaults, and the whole demo catalogue through the registry."""

from __future__ import annotations

import pytest

from sources.base import Adapter, SourceConfig
from sources.demo import DEMO_FEEDS
from sources.fetch import Fetcher
from sources.pipeline import ingest
from sources.registry import BUILTIN, UnknownAdapter, adapter_class, available
from sources.store import Store

NAMED = {
    "egov-campus": "eGov-Campus",
    "dhbw": "DHBW Mannheim – Duale Hochschule Baden-Württemberg Mannheim",
    "hfpv": "HöMS – Hessische Hochschule für öffentliches Management und Sicherheit (vormals HfPV)",
    "speyer": "Deutsche Universität für Verwaltungswissenschaften Speyer",
}
# adapter -> (received, landed, quarantined) of its demo feed
DEMO_COUNTS = {"egov-campus": (36, 36, 0), "dhbw": (24, 24, 0), "hfpv": (52, 47, 5), "speyer": (51, 46, 5)}


def test_builtin_adapters_are_the_two_formats_and_four_named_sources() -> None:
    assert set(BUILTIN) == {"moochub", "xcri", *NAMED}
    assert set(available()) >= set(BUILTIN)
    for name, cls in BUILTIN.items():
        assert cls.name == name
        assert cls.description
        assert isinstance(cls(SourceConfig(provider="p"), Fetcher()), Adapter)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_sources_need_no_provider_flag(name: str) -> None:
    cls = adapter_class(name)
    assert (cls.default_provider, cls.default_provider_name) == (name, NAMED[name])


@pytest.mark.parametrize("name", ["moochub", "xcri"])
def test_format_readers_need_a_provider(name: str) -> None:
    assert getattr(adapter_class(name), "default_provider", None) is None


def test_unknown_adapter_names_the_known_ones() -> None:
    with pytest.raises(UnknownAdapter) as info:
        adapter_class("xcri-cap")
    assert "unknown adapter 'xcri-cap'" in str(info.value)
    for name in BUILTIN:
        assert name in str(info.value)


async def test_the_demo_catalogue_lands_more_than_150_offers_through_the_registry(store: Store) -> None:
    assert {feed.adapter for feed in DEMO_FEEDS} == set(DEMO_COUNTS)
    totals = {}
    async with Fetcher() as fetcher:
        for feed in DEMO_FEEDS:
            adapter = adapter_class(feed.adapter)(SourceConfig(feed.provider, feed.provider_name), fetcher)
            report = await ingest(store, adapter, feed.location)
            assert report.ok, (feed.adapter, report.error)
            totals[feed.adapter] = (report.received, report.landed, report.quarantined)

    assert totals == DEMO_COUNTS
    assert await store.offers.count_documents({"status": "ACTIVE"}) == 153
    providers = {doc["_id"]: doc["name"] async for doc in store.providers.find({})}
    assert providers == NAMED
