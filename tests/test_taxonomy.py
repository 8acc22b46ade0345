from __future__ import annotations

from sources.store import Store
from sources.taxonomy import load_taxonomy


def test_digcomp_has_five_areas_and_twenty_one_competences_with_eight_levels() -> None:
    taxonomy = load_taxonomy()
    digcomp = taxonomy.frameworks["digcomp"]
    assert [code for code, _ in digcomp.areas] == ["1", "2", "3", "4", "5"]
    codes = sorted(c.code for c in taxonomy.competences.values() if c.framework == "digcomp")
    assert len(codes) == 21
    assert "4.2" in codes and "5.4" in codes
    assert sorted(digcomp.levels) == list(range(1, 9))
    assert taxonomy.competences["digcomp:4.2"].label["en"] == "Protecting personal data and privacy"


def test_kc_framework_covers_administration_competences_in_both_languages() -> None:
    taxonomy = load_taxonomy()
    kc = [c for c in taxonomy.competences.values() if c.framework == "kc"]
    assert len(kc) >= 15
    for slug in ("egov-law", "process-management", "it-project-management", "information-security",
                 "data-protection-law", "digital-leadership", "accessibility", "e-files", "procurement",
                 "change-management"):
        assert f"kc:{slug}" in taxonomy
    assert all(c.label.get("de") and c.label.get("en") for c in kc)


async def test_taxonomy_is_loaded_into_the_store_idempotently(store: Store) -> None:
    taxonomy = load_taxonomy()
    assert await store.competences.count_documents({}) == len(taxonomy.competences)
    await store.ensure_ready(taxonomy)
    assert await store.competences.count_documents({}) == len(taxonomy.competences)
    indexes = await store.offers.index_information()
    assert set(indexes) == {"_id_", "provider_status", "status"}


async def test_a_start_drops_the_indexes_earlier_versions_created(store: Store) -> None:
    """A database from a version that still indexed offers by competence: the next start drops that index and
    leaves the others (and the documents) alone."""
    await store.offers.insert_one({"_id": "o1", "provider": "p", "status": "ACTIVE"})
    await store.offers.create_index("competences.competence", name="competence")
    assert "competence" in await store.offers.index_information()
    await store.ensure_ready(load_taxonomy())
    assert set(await store.offers.index_information()) == {"_id_", "provider_status", "status"}
    assert await store.offers.count_documents({}) == 1
