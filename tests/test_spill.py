"""The disk-backed scratch structures of an ingest: grouped table rows and the ledger of the feed's offers."""

from __future__ import annotations

from pathlib import Path

from sources.spill import FeedLedger, RowGroups


def test_rows_come_back_grouped_by_key_in_order_of_first_appearance() -> None:
    rows = [("S-2", {"n": 1}), ("S-1", {"n": 2}), (None, {"n": 3}), ("S-2", {"n": 4}), (None, {"n": 5}),
            ("S-1", {"n": 6}), ("S-3", {"n": 7})]
    with RowGroups() as groups:
        for key, row in rows:
            groups.add(key, row)
        assert len(groups) == 7
        grouped = [(key, [r["n"] for r in group]) for key, group in groups]
    assert grouped == [("S-2", [1, 4]), ("S-1", [2, 6]), (None, [3]), (None, [5]), ("S-3", [7])]


def test_many_rows_are_grouped_across_insert_batches() -> None:
    with RowGroups() as groups:
        for i in range(5_000):
            groups.add(f"K-{i % 1_700}", [i])
        grouped = list(groups)
    assert [key for key, _ in grouped] == [f"K-{i}" for i in range(1_700)]
    assert grouped[0][1] == [[0], [1_700], [3_400]]
    assert sum(len(rows) for _, rows in grouped) == 5_000


def test_the_ledger_reports_the_first_page_of_a_duplicate() -> None:
    with FeedLedger() as ledger:
        assert ledger.add("p:a", 1, "h1") is None
        assert ledger.add("p:b", 2, "h2") is None
        assert ledger.add("p:a", 3, "h9") == 1
        assert ledger.count == 2


def test_the_ledger_compares_the_feed_with_the_stored_offers() -> None:
    with FeedLedger() as ledger:
        for offer_id, content_hash in [("p:new", "n"), ("p:same", "s"), ("p:changed", "c2"), ("p:back", "b"),
                                       ("p:changed-and-back", "x2")]:
            ledger.add(offer_id, 1, content_hash)
        ledger.compare([("p:same", "s", True), ("p:changed", "c1", True), ("p:gone", "g", True)])
        ledger.compare([("p:back", "b", False), ("p:changed-and-back", "x1", False), ("p:long-gone", "l", False),
                        ("p:no-hash", None, True)])
        ops = {offer_id: ledger.op(offer_id) for offer_id in
               ("p:new", "p:same", "p:changed", "p:back", "p:changed-and-back")}
        assert ops == {"p:new": FeedLedger.INSERT, "p:same": FeedLedger.UNCHANGED, "p:changed": FeedLedger.UPDATE,
                       "p:back": FeedLedger.REACTIVATE, "p:changed-and-back": FeedLedger.UPDATE}
        assert ledger.unchanged() == 1
        assert sorted(ledger.missing()) == ["p:gone", "p:no-hash"]


def test_the_scratch_file_is_removed_when_the_block_ends() -> None:
    with FeedLedger() as ledger:
        folder = Path(ledger._folder.name)
        assert any(folder.iterdir())
    assert not folder.exists()
