"""Disk-backed scratch structures that keep an ingest's memory flat however large the feed.

An ingest must remember things about the whole feed before it may write anything: which ids it has seen
(to quarantine duplicates), their content hashes (to compare with the stored ones and write only what
changed), what is missing (to retire it), and, for a seminar table sorted by date, which rows belong to
which seminar. In Python objects that costs ~250 bytes per offer (id and hash) and ~2 KB per table row, so
a 100k-offer feed would cost tens to hundreds of MB. Both structures live in a temporary SQLite file instead
(standard library, no server): SQLite keeps a small page cache (8 MiB here) and sorts on disk, and the file
is deleted when the run ends.

    with FeedLedger() as ledger:
        first_page = ledger.add("dhbw:K-1", 1, content_hash)   # None the first time, else its first page
        ledger.compare([("dhbw:K-1", stored_hash, True), ...])   # the provider's stored offers, batch by batch
        ledger.op("dhbw:K-1"), list(ledger.missing())           # "U": update; ids to retire

    with RowGroups() as groups:
        for row in rows:
            groups.add(row["Seminarnummer"] or None, row)
        for key, rows_of_key in groups:               # keys by first appearance, rows in file order
            ...
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

CACHE_KIB = 8 * 1024
INSERT_BATCH = 2_000
_ALONE = "\x00"  # prefix of the key of a keyless row: no table cell holds NUL (the csv module refuses it)


class _Scratch:
    """A private SQLite file in a temporary folder, tuned for a throwaway: no journal, no fsync."""

    def __init__(self, schema: str) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kc-spill-")
        self._db = sqlite3.connect(Path(self._folder.name) / "scratch.sqlite")
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KIB}", "temp_store=FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(schema)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


class FeedLedger(_Scratch):
    """The offers of one feed (id, first page, content hash) and, once compared with the stored offers of the
    provider, what each needs: insert, update, reactivate, nothing; plus the stored active offers the feed
    no longer has. Set-based SQL does the comparison a batch of stored offers at a time."""

    INSERT, UPDATE, REACTIVATE, UNCHANGED = "I", "U", "A", "="

    def __init__(self) -> None:
        super().__init__(
            "CREATE TABLE feed (id TEXT PRIMARY KEY, page INTEGER NOT NULL, hash TEXT NOT NULL, op TEXT) WITHOUT ROWID;"
            "CREATE TABLE stored (id TEXT PRIMARY KEY, hash TEXT, active INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE missing (id TEXT PRIMARY KEY) WITHOUT ROWID;")
        self.count = 0
        self.stored = 0  # stored offers compared so far; none means every offer of the feed is an insert

    def add(self, offer_id: str, page: int, content_hash: str) -> int | None:
        """Remember an offer of the feed; returns None when its id is new, else the page it was already on."""
        if self._db.execute("INSERT OR IGNORE INTO feed (id, page, hash) VALUES (?, ?, ?)",
                            (offer_id, page, content_hash)).rowcount:
            self.count += 1
            return None
        return int(self._db.execute("SELECT page FROM feed WHERE id = ?", (offer_id,)).fetchone()[0])

    def compare(self, stored: list[tuple[str, str | None, bool]]) -> None:
        """Take in a batch of the provider's stored offers as (id, content hash, active)."""
        self._db.executemany("INSERT OR REPLACE INTO stored VALUES (?, ?, ?)", stored)
        self.stored += len(stored)
        self._db.executescript(f"""
            UPDATE feed SET op = (SELECT CASE WHEN s.hash IS NOT feed.hash THEN '{self.UPDATE}'
                                              WHEN s.active = 0 THEN '{self.REACTIVATE}'
                                              ELSE '{self.UNCHANGED}' END
                                  FROM stored s WHERE s.id = feed.id)
             WHERE id IN (SELECT id FROM stored);
            INSERT OR IGNORE INTO missing SELECT id FROM stored WHERE active = 1 AND id NOT IN (SELECT id FROM feed);
            DELETE FROM stored;""")

    def op(self, offer_id: str) -> str:
        """What phase 2 does with an offer of the feed; one the provider never had is inserted."""
        if not self.stored:
            return self.INSERT  # a first ingest: no need to ask the file
        row = self._db.execute("SELECT op FROM feed WHERE id = ?", (offer_id,)).fetchone()
        return (row[0] if row else None) or self.INSERT

    def unchanged(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM feed WHERE op = ?", (self.UNCHANGED,)).fetchone()[0])

    def missing(self) -> Iterator[str]:
        """The provider's active offers that are not in the feed, to be retired."""
        for (offer_id,) in self._db.execute("SELECT id FROM missing"):
            yield offer_id


class RowGroups(_Scratch):
    """Rows (JSON-serialisable) grouped by key; a row with the key None forms a group of its own."""

    def __init__(self) -> None:
        super().__init__("CREATE TABLE rows (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, data TEXT NOT NULL);")
        self._pending: list[tuple[int, str, str]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: str | None, row: Any) -> None:
        stored = f"{_ALONE}{self._count}" if key is None else key
        self._pending.append((self._count, stored, json.dumps(row, ensure_ascii=False)))
        self._count += 1
        if len(self._pending) >= INSERT_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT INTO rows VALUES (?, ?, ?)", self._pending)
            self._pending = []

    def __iter__(self) -> Iterator[tuple[str | None, list[Any]]]:
        """Each key with its rows; keys in order of first appearance, rows in the order they were added."""
        self._flush()
        # the keys by first appearance drive a nested loop over the (key, seq) index: no sort of the rows
        self._db.executescript(
            "CREATE INDEX IF NOT EXISTS rows_key ON rows (key, seq);"
            "DROP TABLE IF EXISTS firsts;"
            "CREATE TABLE firsts AS SELECT key, MIN(seq) AS first FROM rows GROUP BY key;"
            "CREATE INDEX firsts_first ON firsts (first);")
        cursor = self._db.execute("SELECT r.key, r.data FROM firsts f CROSS JOIN rows r ON r.key = f.key "
                                  "ORDER BY f.first, r.seq")
        key: str | None = None
        rows: list[Any] = []
        for row_key, data in cursor:
            if rows and row_key != key:
                yield _public(key), rows
                rows = []
            key = row_key
            rows.append(json.loads(data))
        if rows:
            yield _public(key), rows


def _public(key: str | None) -> str | None:
    return None if key is None or key.startswith(_ALONE) else key
