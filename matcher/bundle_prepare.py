"""The bundle search's input in search order: the candidate rows that can matter, grouped into units (the runs of
one offer), with the date bounds over each unit's runs that the search relies on."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from functools import cached_property
from typing import TypeVar

import numpy as np

from matcher.bundle_problem import EPS, BundleProblem

T = TypeVar("T")
DOMINATOR_POOL = 2048  # conflict-free plain rows (cheapest first) tried as dominators of the others


def _nonzero(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.nonzero` of a C-contiguous uint8 matrix, found eight bytes at a time: the prerequisite matrices have one
    row per candidate run (180k at 100k offers) and few entries, so most 8-byte words are zero and are skipped
    as one (2.5 times faster than np.flatnonzero on the open prerequisites)."""
    flat = np.ascontiguousarray(matrix, dtype=np.uint8).reshape(-1)
    width = matrix.shape[1] if matrix.ndim == 2 and matrix.shape[1] else 1
    whole = len(flat) - len(flat) % 8  # the last few bytes are looked at one by one, not copied into a padded array
    # nonzero of a boolean array is several times quicker than of an integer one (numpy 2.4: 4x on these)
    words = np.flatnonzero(flat[:whole].view(np.uint64) != 0)
    byte = np.flatnonzero(np.take(flat[:whole].reshape(-1, 8), words, axis=0) != 0)
    at = np.concatenate((words[byte // 8] * 8 + byte % 8, whole + np.flatnonzero(flat[whole:] != 0)))
    return np.divmod(at, width)


def _earliest_end(width: int, keys: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per key column × 10 + level, the earliest of `ends` among entries teaching that column at that level or
    higher (int64 max where none does): a prerequisite (column, level) is met in time by one of them exactly
    when this is before the requirer's start."""
    earliest = np.full(width * 10, np.iinfo(np.int64).max)
    np.minimum.at(earliest, keys, ends)  # 1-D: numpy's fast path for ufunc.at
    return np.minimum.accumulate(earliest.reshape(width, 10)[:, ::-1], axis=1)[:, ::-1].ravel()


class _ByRow(dict[int, tuple[tuple[int, int], ...]]):
    """Per row, the (column, level) pairs of its entries (sorted by row) as a tuple, built when a row is first
    asked for: the per-member loops of the search index these as Python objects, but only for the members they
    meet, a few hundred rows out of thousands (building them all took some 1.5 ms of a 10k query)."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, levels: np.ndarray) -> None:
        super().__init__()
        self._rows, self._cols, self._levels = rows, cols, levels

    def holders(self) -> np.ndarray:
        """The rows with entries, in order (a row once per entry)."""
        return self._rows

    def columns(self) -> np.ndarray:
        """The column of each entry, in the order of holders()."""
        return self._cols

    def __missing__(self, row: int) -> tuple[tuple[int, int], ...]:
        a, b = np.searchsorted(self._rows, (row, row + 1)).tolist()
        value = tuple(zip(self._cols[a:b].tolist(), self._levels[a:b].tolist(), strict=True)) if b > a else ()
        self[row] = value
        return value


def _row_keys(matrix: np.ndarray) -> np.ndarray:
    """Each row of a matrix as one scalar made of its bytes: rows then compare in one pass, two to three times
    quicker than a comparison followed by a reduction along the short second axis (8 needs, some 40 columns)."""
    rows = np.ascontiguousarray(matrix)
    width = rows.shape[1] * rows.itemsize if rows.ndim == 2 else 0
    if width == 0:
        return np.zeros(len(rows), dtype=np.uint8)
    raw = rows.view(np.uint8).reshape(len(rows), width)
    whole = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}.get(width)
    return raw.view(whole if whole is not None else np.dtype((np.void, width))).reshape(-1)


def _nonzero_rows(matrix: np.ndarray) -> np.ndarray:
    """Which rows have an entry other than 0 (see _row_keys)."""
    keys = _row_keys(matrix)
    return keys != np.zeros(1, dtype=keys.dtype)[0]


class _Lazy(dict[int, T]):
    """Per index, `make(index)` (Python scalars built from arrays), computed when the index is first asked for: the
    per-member loops of the search and the choice of runs index a few hundred of thousands of units or rows, and
    converting whole arrays to lists took some 1.5 ms of a 10k query."""

    def __init__(self, make: Callable[[int], T]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, index: int) -> T:
        value = self._make(index)
        self[index] = value
        return value


def reached_by(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """[len(lower), len(upper)]: does row j of `upper` reach row i of `lower` on every column? One comparison of
    two 2-D blocks per column (there are a few needs): four times quicker than a 3-D comparison reduced along
    its short last axis."""
    out = np.ones((len(lower), len(upper)), dtype=bool)
    for column in range(lower.shape[1]):
        out &= upper[None, :, column] >= lower[:, column, None]
    return out


def _least_of_offer(level: np.ndarray, offer: np.ndarray) -> np.ndarray:
    """Rows that teach no need higher than another row of their offer does. Rows of one offer are usually
    alike (then all of them are), so the per-need minimum is only taken when some offer's rows differ."""
    by_offer = np.argsort(offer, kind="stable")
    sorted_offer, ordered = offer[by_offer], np.take(level, by_offer, axis=0)
    first = np.concatenate(([True], sorted_offer[1:] != sorted_offer[:-1]))
    keys = _row_keys(ordered)
    if not (~first[1:] & (keys[1:] != keys[:-1])).any():
        return np.ones(len(offer), dtype=bool)
    least = np.minimum.reduceat(ordered, np.flatnonzero(first), axis=0)  # per offer and need
    out = np.empty(len(offer), dtype=bool)
    out[by_offer] = (ordered <= least[np.cumsum(first) - 1]).all(axis=1)
    return out


def _dense_rank(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Each value's rank among the distinct values (equal values share one), and how many are distinct."""
    order = np.argsort(values)
    ordered = values[order]
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.cumsum(np.concatenate(([False], ordered[1:] != ordered[:-1])))
    return rank, int(rank.max(initial=-1)) + 1


def _lex_order(*keys: np.ndarray) -> np.ndarray:
    """`np.lexsort(keys[::-1])` (the first key decides first), where the keys together tell every row apart: one
    argsort of one integer key made of the keys' dense ranks. The sort keys of the search order (score, price,
    hours) take few distinct values, so the ranks fit into one int64, and this is some twice as quick as four
    stable sorts. A last key of non-negative integers is its own rank; a combination too large for an int64
    falls back to np.lexsort."""
    combined, span = np.zeros(len(keys[0]), dtype=np.int64), 1
    for i, key in enumerate(keys):
        if i == len(keys) - 1 and key.dtype.kind in "iu" and int(key.min(initial=0)) >= 0:
            rank, count = key.astype(np.int64, copy=False), int(key.max(initial=-1)) + 1
        else:
            rank, count = _dense_rank(key)
        if span * max(count, 1) >= 2 ** 62:
            return np.lexsort(keys[::-1])
        combined, span = combined * count + rank, span * max(count, 1)
    return np.argsort(combined)  # every combined key is distinct: any sort gives this order


def distinct_rows(rows: np.ndarray, seed: int = 20261123) -> tuple[np.ndarray, np.ndarray]:
    """(index of each row in the table, the table of distinct rows), so that table[index] == rows.

    Grouped by a random projection of the rows (sorting floats is far quicker than sorting rows) and checked
    exactly; when two different rows project onto the same float, a row sort groups them instead."""
    key = rows @ np.random.default_rng(seed).random(rows.shape[1])
    _, first, index = np.unique(key, return_index=True, return_inverse=True)
    table = rows[first]
    if not np.array_equal(table[index], rows):
        table, index = np.unique(rows, axis=0, return_inverse=True)
    return np.asarray(index, dtype=np.int64).ravel(), table


class Prepared:
    """The candidates that can matter, as units (an offer's runs) in search order (individual score descending).

    Reductions, on rows before they are grouped into units, each provably safe for the top k: rows over budget
    or hours on their own; rows that raise no need and enable no prerequisite (removing them from any bundle
    keeps score and feasibility); rows whose open prerequisites no other row can meet in time; and "plain" rows
    (no open prerequisite, enabling none) for which k conflict-free plain rows with the same per-need
    contribution are no dearer, no longer and earlier in the id order: a bundle with such a row has k distinct
    better twins, so it is never in the top k.

    Three index spaces live here: `start`, `end`, `dated`, `self_paced`, `rrank` and `level` by the problem's
    rows (the reductions need them all); the `r_*` arrays by kept row in search order (the run choices); and
    everything else (`C`, `price`, `hours`, `offer`, `req`, ...) by unit, which is what the search walks.
    """

    def __init__(self, p: BundleProblem) -> None:
        n, m = p.size, len(p.cur)
        cur = np.asarray(p.cur, dtype=np.int64)
        tgt = np.asarray(p.tgt, dtype=np.int64)
        w = np.asarray(p.weight, dtype=np.float64)
        # levels as uint8 (they are 0–8): the row-wide passes below read an eighth of what int64 would cost
        cur8 = cur.astype(np.uint8)
        level = np.minimum(np.maximum(np.asarray(p.teach, dtype=np.uint8).reshape(n, m), cur8), tgt.astype(np.uint8))
        self.cur = cur
        self.full = w / w.sum()                      # a need's share of the score once closed
        self.step = w / ((tgt - cur) * w.sum())      # the least a need left open costs the score
        self.width = len(p.pre_cur)
        self.pre_cur = np.asarray(p.pre_cur, dtype=np.uint8)
        raw_req = np.asarray(p.pre_req, dtype=np.uint8).reshape(n, self.width)
        pre_teach = np.asarray(p.pre_teach, dtype=np.uint8).reshape(n, self.width)
        self.start = np.asarray(p.start, dtype=np.int64)
        self.end = np.maximum(np.asarray(p.end, dtype=np.int64), self.start)
        self.dated = np.asarray(p.dated, dtype=bool)
        self.self_paced = np.asarray(p.self_paced, dtype=bool)
        self.price = np.asarray(p.price, dtype=np.float64)
        self.hours = np.asarray(p.hours, dtype=np.float64)
        self.offer = np.asarray(p.offer, dtype=np.int64)
        self.orank = np.asarray(p.offer_rank, dtype=np.int64)
        self.rrank = np.asarray(p.run_rank, dtype=np.int64)
        self.raw_req, self.pre_teach, self.level = raw_req, pre_teach, level
        level_keys = _row_keys(level)  # one scalar per row: compared here and when runs are grouped into units
        # the row lifts some need (adds score): levels are clipped to at least the current ones, so any other row does
        self.raises = level_keys != _row_keys(cur8[None, :])[0]

        rows, gain, enabler = self._reduce(np.arange(n), p)
        self.rows = rows
        kept = np.zeros(n, dtype=bool)
        kept[rows] = True
        enabler = enabler[rows]
        # Rows that raise nothing come last (the tail). One is only worth adding to a node as the enabler of a
        # member's prerequisite, or of a "chain" row (a tail row with a prerequisite of its own).
        chain = kept & self.has_req_all & ~self.raises
        chain_enabler = self._enabler_mask(chain, kept)[rows]
        # row level (one row per run): what the exact check of a bundle's runs needs
        self.r_start, self.r_end, self.r_dated = self.start[rows], self.end[rows], self.dated[rows]
        self.r_conf = self.r_dated & ~self.self_paced[rows]
        self.r_orank, self.r_rrank = self.orank[rows], self.rrank[rows]
        # Units: the runs of one offer, which agree on everything but their dates. The search works on units, so a
        # bundle of offers is explored once, not once per choice of runs; the runs are chosen when a bundle is
        # recorded. Sorting put the runs of an offer next to each other.
        price, hours, offer = self.price[rows], self.hours[rows], self.offer[rows]
        same = (offer[1:] == offer[:-1]) & (price[1:] == price[:-1]) & (hours[1:] == hours[:-1])
        at = np.flatnonzero(same)  # the rows are only compared where the cheap keys agree
        paced, after = self.self_paced[rows], at + 1
        # equal levels are equal contributions (each a level times a positive step): compared as one integer per row;
        # the prerequisite rows as given (runs that differ only where no level is open become units of their own,
        # which costs time, not exactness; matcher.candidates never builds such runs)
        levels, req_keys, teach_keys = level_keys[rows], _row_keys(raw_req), _row_keys(pre_teach)
        first, second = rows[at], rows[after]
        same[at] = (paced[at] == paced[after]) & (levels[at] == levels[after]) \
            & (req_keys[first] == req_keys[second]) & (teach_keys[first] == teach_keys[second])
        seg = np.flatnonzero(np.concatenate(([True], ~same))) if len(rows) else np.zeros(0, dtype=np.int64)
        bounds = np.append(seg, len(rows))
        self.seg = bounds.tolist()  # unit u holds rows seg[u]:seg[u+1]
        self.n = len(seg)
        # the columns some kept row needs above the employee's level, and those levels (0 elsewhere), per unit
        open_cols = np.unique(self.req_entries[1][kept[self.req_entries[0]]] // 10)
        unit_rows = rows[seg]
        req, pre = np.take(raw_req, unit_rows, axis=0), np.take(pre_teach, unit_rows, axis=0)  # quicker than np.ix_
        if len(open_cols) < self.width:  # most often every prerequisite column is open: no copy then
            req, pre = np.take(req, open_cols, axis=1), np.take(pre, open_cols, axis=1)
        if self.pre_cur[open_cols].any():  # else no level at or below the employee's is other than 0
            req[req <= self.pre_cur[open_cols]] = 0
        self.price, self.hours, self.offer, self.orank = price[seg], hours[seg], offer[seg], self.orank[rows][seg]
        self.C = self._contribution(unit_rows)
        self.gain = gain[seg]
        self.req, self.pre_teach = req, pre  # np.take made them C-contiguous
        self.has_req = _nonzero_rows(self.req)
        reduce_at = seg if len(rows) else np.zeros(0, dtype=np.int64)
        self.enabler = np.logical_or.reduceat(enabler, reduce_at) if self.n else np.zeros(0, dtype=bool)
        self.chain_enabler = np.logical_or.reduceat(chain_enabler, reduce_at) if self.n else np.zeros(0, dtype=bool)
        self.any_req = bool(self.has_req.any())
        # the units of each offer that has several (runs that differ beyond their dates); any other unit is its
        # offer's only one
        by_offer = np.argsort(self.offer)  # not stable (several times quicker): each group is sorted below
        group_start = np.flatnonzero(np.concatenate(([True], np.diff(self.offer[by_offer]) != 0)))
        sizes = np.diff(np.append(group_start, self.n))
        self.offer_units: dict[int, tuple[int, ...]] = {}
        for begin, size in zip(group_start[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            group = tuple(sorted(by_offer[begin:begin + size].tolist()))
            self.offer_units.update(dict.fromkeys(group, group))
        # What the dates of a unit's runs allow, as bounds over its runs: "possible" (some run) keeps a bundle in the
        # search, "sure" (every run) lets the search rely on it. An undated run never ends before another starts.
        far = np.iinfo(np.int64).max // 4
        if self.n:
            all_dated = np.logical_and.reduceat(self.r_dated, reduce_at)
            self.end_possible = np.minimum.reduceat(np.where(self.r_dated, self.r_end, far), reduce_at)
            self.start_possible = np.maximum.reduceat(np.where(self.r_dated, self.r_start, -far), reduce_at)
            self.end_sure = np.where(all_dated, np.maximum.reduceat(self.r_end, reduce_at), far)
            self.start_sure = np.where(all_dated, np.minimum.reduceat(self.r_start, reduce_at), -far)
            single = np.diff(bounds) == 1
        else:
            self.end_possible = self.start_possible = self.end_sure = self.start_sure = np.zeros(0, dtype=np.int64)
            single = np.zeros(0, dtype=bool)
        # conflicts between units are only certain when both have a single (conflicting) run
        self.s_conf = single & self.r_conf[seg] if self.n else single
        self.s_start, self.s_end = self.r_start[seg], self.r_end[seg]
        # scalar views for the per-member loops: Python ints are far faster to index than numpy arrays
        req_rows, req_cols = _nonzero(self.req)
        self.open_reqs = _ByRow(req_rows, req_cols, self.req[req_rows, req_cols])
        self.when = {sure: (self._ints(end), self._ints(start)) for sure, end, start in
                     ((False, self.end_possible, self.start_possible), (True, self.end_sure, self.start_sure))}
        # per kept row (one run): (start, end, dated, conflicts, unit), for the choice of runs
        self.runs = _Lazy(lambda r: (int(self.r_start[r]), int(self.r_end[r]), bool(self.r_dated[r]),
                                     bool(self.r_conf[r]), bisect.bisect_right(self.seg, r) - 1))
        self.n_gain = int(np.count_nonzero(self.gain > 0))
        # what each unit teaches, as entries (row-sorted): the tail's and the last teachers' tables both read them
        self.teach_units = _nonzero(self.pre_teach)
        self.tail_reqs = self._tail_reqs(req_rows, req_cols)
        self.cum = np.concatenate(([0.0], np.cumsum(self.gain)))
        self.neg_gain = -self.gain  # ascending, for searchsorted
        self.neg_gain_l = self.neg_gain.tolist()  # the same for bisect: one value per node, without numpy's overhead
        suffix = np.zeros((self.n + 1, m))
        for j in range(m if self.n else 0):  # column by column: 1.5 times quicker than along axis 0 of [n, m]
            suffix[:-1, j] = np.maximum.accumulate(self.C[::-1, j])[::-1]
        self.suffix_max = suffix

    def _tail_reqs(self, rows: np.ndarray, cols: np.ndarray) -> _ByRow:
        """Per unit, the open prerequisites (column, level) that no gaining unit can meet in time, for any choice
        of runs: a bundle holding such a unit also holds a unit of the tail, which adds no score, so it has one
        slot less for units that do (see Search._owes_tail)."""
        if len(rows) == 0:
            return _ByRow(rows, cols, cols)  # no entries
        tr, tc = self.teach_units
        gaining = int(np.searchsorted(tr, self.n_gain))  # what the gaining units teach
        tr, tc = tr[:gaining], tc[:gaining]
        earliest = _earliest_end(int(self.req.shape[1]), tc * 10 + np.minimum(self.pre_teach[tr, tc], 9),
                                 self.end_possible[tr])
        levels = self.req[rows, cols]
        tail = ~(earliest[cols * 10 + np.minimum(levels, 9)] < self.start_possible[rows])
        return _ByRow(rows[tail], cols[tail], levels[tail])

    def closing_masks(self, needs: np.ndarray) -> np.ndarray:
        """Per gaining unit, which of `needs` it closes on its own (reaches the target), as bits in their order:
        at the score where these needs must all be closed, that is all a unit contributes."""
        closes = self.C[: self.n_gain][:, needs] >= self.full[needs] - 1e-12
        return closes.astype(np.int64) @ (np.int64(1) << np.arange(len(needs), dtype=np.int64))

    @staticmethod
    def _ints(values: np.ndarray) -> _Lazy[int]:
        return _Lazy(lambda i: int(values[i]))

    def left_open(self, x: int, units: list[int] | tuple[int, ...], reqs: _ByRow) -> list[tuple[int, int]]:
        """x's prerequisites of `reqs` (open_reqs or tail_reqs) that no other of these units meets in time, even
        with the best choice of runs."""
        end, start = self.when[False]
        return [(column, level) for column, level in reqs[x]
                if not any(y != x and self.pre_teach[y, column] >= level and end[y] < start[x] for y in units)]

    def teach_in_time(self, units: np.ndarray | slice, column: int, level: int, start: int) -> np.ndarray:
        """Which of these units may meet a prerequisite (column, level) of a unit whose runs start at `start`: they
        teach the column at that level or higher, and some run of theirs ends before it (see end_possible)."""
        return (self.pre_teach[units, column] >= level) & (self.end_possible[units] < start)

    def unmet_among(self, units: list[int] | tuple[int, ...], reqs: _ByRow) -> bool:
        """Does one of these units have a prerequisite of `reqs` that no other of them meets (see left_open)?"""
        return any(self.left_open(x, units, reqs) for x in units)

    @cached_property
    def profiles(self) -> tuple[np.ndarray, np.ndarray]:
        """(profile of each unit, the distinct rows of C), for the kernel (see distinct_rows)."""
        return distinct_rows(self.C)

    @cached_property
    def profile_last(self) -> np.ndarray:
        """The last unit of each profile: a profile has a unit at or after position i when this is ≥ i."""
        profile, table = self.profiles
        last = np.full(len(table), -1, dtype=np.int64)
        np.maximum.at(last, profile, np.arange(self.n))
        return last

    def least_per_profile(self, units: np.ndarray) -> np.ndarray:
        """[2, profiles]: the least price and the least hours among each profile's units of `units` (inf where a
        profile has none). Units of one profile add no more score together than one of them, so bounds that add
        up gains (knapsacks, capacity curves) may take one item per profile at these costs."""
        profile, table = self.profiles
        least = np.full((2, len(table)), np.inf)
        group = profile[units]
        np.minimum.at(least[0], group, self.price[units])  # 1-D: numpy's fast path for ufunc.at, 5x the 2-D one
        np.minimum.at(least[1], group, self.hours[units])
        return least

    @cached_property
    def least_from(self) -> tuple[np.ndarray, np.ndarray]:
        """(least price, least hours) of the units from each position on (inf past the last unit)."""
        out = []
        for values in (self.price, self.hours):
            suffix = np.full(self.n + 1, np.inf)
            suffix[:-1] = np.minimum.accumulate(values[::-1])[::-1]
            out.append(suffix)
        return out[0], out[1]

    @cached_property
    def last_teacher(self) -> np.ndarray:
        """[columns, 10]: the last unit (in search order) with a dated run teaching prerequisite column c at level l
        or higher (-1: none). Only a unit after a child can join the child's subtree, so a prerequisite whose
        teachers all come before it is met there by the members so far, or not at all."""
        width = self.req.shape[1]
        last = np.full(width * 10, -1, dtype=np.int64)
        dated = self.end_possible < np.iinfo(np.int64).max // 4
        rows, cols = self.teach_units
        keep = dated[rows]
        rows, cols = rows[keep], cols[keep]
        np.maximum.at(last, cols * 10 + np.minimum(self.pre_teach[rows, cols], 9), rows)  # 1-D: the fast path
        return np.maximum.accumulate(last.reshape(width, 10)[:, ::-1], axis=1)[:, ::-1]

    @cached_property
    def teachers(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per prerequisite column: the units teaching it (ascending), the level each teaches, and the earliest end
        of its runs (see end_possible): a column's teachers are a few hundred of thousands of units."""
        rows, cols = self.teach_units
        by_column = np.argsort(cols, kind="stable")  # rows stay ascending within a column
        rows, cols = rows[by_column], cols[by_column]
        bounds = np.searchsorted(cols, np.arange(self.req.shape[1] + 1)).tolist()
        out = []
        for a, b in itertools.pairwise(bounds):
            units = rows[a:b]
            out.append((units, self.pre_teach[units, cols[a:b]], self.end_possible[units]))
        return out

    @cached_property
    def reachable_own(self) -> np.ndarray:
        """Per unit: does some unit after it teach each of its open prerequisites (see last_teacher)?"""
        rows, cols = self.open_reqs.holders(), self.open_reqs.columns()
        out = np.ones(self.n, dtype=bool)
        out[rows[self.last_teacher[cols, np.minimum(self.req[rows, cols], 9)] <= rows]] = False
        return out

    def _contribution(self, rows: np.ndarray) -> np.ndarray:
        """[len(rows), m]: what each row adds to the score per need (its level above the current one, in steps)."""
        # levels are clipped to at least the current level, so the uint8 difference cannot wrap
        return (np.take(self.level, rows, axis=0) - self.cur.astype(np.uint8)) * self.step

    def _sparse(self) -> None:
        """The open prerequisites (above the employee's level) and the taught prerequisite levels as entries: a row
        has a few of each, so the reductions work on these instead of rows × columns matrices. An entry's key is
        column × 10 + level, its place in the (column, level) tables of the masks below; only dated runs teach in
        time, so only their teaching entries are kept."""
        r, c = _nonzero(self.raw_req)
        level = self.raw_req[r, c]
        open_ = level > self.pre_cur[c]
        r, c, level = r[open_], c[open_], level[open_]
        self.req_entries = (r, c * 10 + np.minimum(level, 9), self.start[r], self.dated[r])
        r, c = _nonzero(self.pre_teach)
        dated = self.dated[r]
        r, c = r[dated], c[dated]
        self.teach_entries = (r, c * 10 + np.minimum(self.pre_teach[r, c], 9), self.end[r])
        self.has_req_all = np.zeros(len(self.dated), dtype=bool)
        self.has_req_all[self.req_entries[0]] = True

    def _enabler_mask(self, requirers: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Candidates (a row mask) that can meet an open prerequisite of one of the requirers (a row mask) in
        time: a dated run teaching the column at the level or higher that ends before the requirer starts."""
        out = np.zeros(len(candidates), dtype=bool)
        rr, rkey, rstart, rdated = self.req_entries
        pick = requirers[rr] & rdated
        if not pick.any():
            return out
        width = self.width
        latest = np.full(width * 10, np.iinfo(np.int64).min)  # latest start needing column c at level ≤ L
        np.maximum.at(latest, rkey[pick], rstart[pick])  # 1-D: numpy's fast path for ufunc.at
        latest = np.maximum.accumulate(latest.reshape(width, 10), axis=1).ravel()
        tr, tkey, tend = self.teach_entries
        hit = candidates[tr] & (latest[tkey] > tend)
        out[tr[hit]] = True
        return out

    def _satisfiable_mask(self, rows: np.ndarray, enablers: np.ndarray) -> np.ndarray:
        """Rows (mask) whose every open prerequisite some enabler (mask) could meet in time, column by column."""
        rr, rkey, rstart, rdated = self.req_entries
        width = self.width
        tr, tkey, tend = self.teach_entries
        use = enablers[tr]
        earliest = _earliest_end(width, tkey[use], tend[use])
        unmet = rows[rr] & ~(rdated & (earliest[rkey] < rstart))
        ok = rows.copy()
        ok[rr[unmet]] = False
        return ok

    def _reduce(self, rows: np.ndarray, p: BundleProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows that can matter, in search order, their gains (sums of contributions), and which rows (a mask
        over all) can meet an open prerequisite of a row that matters (the reduction of dominated rows drops none
        of those, nor any row with a prerequisite, so it changes none of these)."""
        n = len(rows)
        self._sparse()
        base = np.ones(n, dtype=bool)
        if p.budget is not None:
            base &= self.price <= p.budget + EPS
        if p.max_hours is not None:
            base &= self.hours <= p.max_hours + EPS
        gaining = base & self.raises
        # Rows that raise a need, then the rows that can meet their prerequisites, and theirs, and so on: a row
        # that raises nothing is only worth its place as somebody's prerequisite.
        relevant = gaining.copy()
        frontier = relevant & self.has_req_all
        while frontier.any():
            found = self._enabler_mask(frontier, base & ~relevant)
            relevant |= found
            frontier = found & self.has_req_all
        while True:  # dropping a row can take away another row's only enabler, or an enabler's purpose
            enabler = self._enabler_mask(relevant & self.has_req_all, relevant)
            ok = relevant & (gaining | enabler)
            ok = self._satisfiable_mask(ok, enabler & ok)
            if (ok == relevant).all():
                break
            relevant = ok
        rows = np.flatnonzero(relevant)
        rows = rows[~self._dominated(rows, enabler[rows], p)]
        gain = self._contribution(rows).sum(axis=1)
        rrank = self.rrank[rows]  # with the offer's rank, one integer key for the id order
        order = _lex_order(-gain, self.price[rows], self.hours[rows],
                          self.orank[rows] * (int(rrank.max(initial=0)) + 1) + rrank)
        return rows[order], gain[order], enabler

    def _dominated(self, rows: np.ndarray, enabler: np.ndarray, p: BundleProblem) -> np.ndarray:
        """Plain rows with k better conflict-free plain twins: never in the top k.

        For a bundle B with a plain row b and a plain row a that conflicts with nothing, teaches every need at
        least as high as b, and ranks before b (cheaper; or as cheap and shorter; or as cheap, as long and
        earlier in the id order; never longer when hours are capped), B − b + a or a minimal part of it — which
        keeps a, else B − b would already match B and B would not be minimal — is a feasible bundle ranking
        strictly before B. k such rows give k distinct bundles before B. Where B holds another run of a's offer,
        B − b + a would hold two: so a must teach no more than any other run of its offer (see below).
        """
        k = p.top
        out = np.zeros(len(rows), dtype=bool)
        plain = ~enabler & ~self.has_req_all[rows]
        free = plain & (self.self_paced[rows] | ~self.dated[rows])
        if np.count_nonzero(free) < k:
            return out
        price, hours, orank, rrank = self.price[rows], self.hours[rows], self.orank[rows], self.rrank[rows]
        level = np.take(self.level, rows, axis=0)
        # a run of a's offer in B that teaches at least what a does makes B − b score as B (B is not minimal), so
        # such B need no swap: a dominator teaches the least of its offer's runs on every need. Runs of one offer
        # teach alike unless a problem is built by hand (the hypothesis tests' varied runs found this).
        free &= _least_of_offer(level, self.offer[rows])
        if np.count_nonzero(free) < k:
            return out
        pool = np.flatnonzero(free)
        pool = pool[np.lexsort((rrank[pool], orank[pool], hours[pool], price[pool]))][:DOMINATOR_POOL]
        b = np.flatnonzero(plain)
        group, profiles = distinct_rows(np.take(level, b, axis=0))
        covers = reached_by(profiles, level[pool])  # [profiles, pool]
        seen = np.cumsum(covers, axis=1)
        enough = seen[:, -1] >= k
        if not enough.any():
            return out
        first = np.stack([np.argmax(seen > t, axis=1) for t in range(k)], axis=1)  # first k covering pool rows
        b = b[enough[group]]
        d = pool[first[group[enough[group]]]]  # [len(b), k] rows
        pb, hb = price[b, None], hours[b, None]
        pa, ha = price[d], hours[d]
        earlier = (orank[d] < orank[b, None]) | ((orank[d] == orank[b, None]) & (rrank[d] < rrank[b, None]))
        better = (pa < pb - 2e-6) | ((pa == pb) & ((ha < hb - 2e-6) | ((ha == hb) & earlier)))
        if p.max_hours is not None:
            better &= ha <= hb
        out[b[better.all(axis=1)]] = True
        return out
