"""The vectorised last-pair kernel against a plain double loop over (child, unit), and the grouping of units into
need profiles that its scores go through.

The engine's brute-force tests reach the kernel only on problems of a dozen rows, where its blocks are tiny and
a child rarely has more than a few candidates; here blocks are cut into many chunks, pools hold repeated
profiles, and every check of a pair (order, cut, offer, conflict, budget, hours, the threshold) is compared."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.bundle_kernel import Bar, Children, Pool, last_pairs
from matcher.bundle_prepare import _ByRow, _least_of_offer, _nonzero, distinct_rows
from matcher.bundle_problem import EPS, PRICE_DECIMALS, SCORE_DECIMALS, round_one


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_distinct_rows_rebuild_the_rows(n: int, m: int, levels: int, seed: int) -> None:
    rows = np.random.default_rng(seed).integers(0, levels, (n, m)) / 7.0  # few levels: many repeated rows
    index, table = distinct_rows(rows)
    assert np.array_equal(table[index], rows)
    assert len(np.unique(table, axis=0)) == len(table)  # no profile twice


def test_distinct_rows_survive_a_collision_of_their_projections() -> None:
    """Two different rows whose random projections are the same float: [w1, 0] and [0, w0] both give w0·w1."""
    seed = 7
    w = np.random.default_rng(seed).random(2)
    rows = np.array([[w[1], 0.0], [0.0, w[0]], [w[1], 0.0]])
    assert (rows @ w)[0] == (rows @ w)[1]  # the precondition: the projection alone would merge them
    index, table = distinct_rows(rows, seed=seed)
    assert np.array_equal(table[index], rows)
    assert len(table) == 2 and index[0] == index[2] != index[1]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 30), st.integers(0, 13), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_nonzero_finds_the_entries_of_np_nonzero(n: int, m: int, density: float, seed: int) -> None:
    """The word-at-a-time search of the prerequisite entries, on widths that split rows across 8-byte words."""
    rng = np.random.default_rng(seed)
    matrix = (rng.integers(1, 256, (n, m)) * (rng.random((n, m)) < density)).astype(np.uint8)
    rows, cols = _nonzero(matrix)
    expected_rows, expected_cols = np.nonzero(matrix)
    assert np.array_equal(rows, expected_rows) and np.array_equal(cols, expected_cols)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), offers=st.integers(1, 12), alike=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_least_of_offer_is_the_per_need_minimum(n: int, offers: int, alike: bool, seed: int) -> None:
    """Rows no higher on any need than every other row of their offer, against the definition row by row; `alike`
    gives most offers identical rows, the shortcut the function takes."""
    rng = np.random.default_rng(seed)
    offer = rng.integers(0, offers, n)
    level = rng.integers(0, 4, (n, 3)).astype(np.uint8)
    if alike:
        level = level[np.searchsorted(np.sort(offer), offer)] if rng.random() < 0.5 else level[offer % len(level)]
    expected = [all((level[i] <= level[j]).all() for j in range(n) if offer[j] == offer[i]) for i in range(n)]
    assert _least_of_offer(level, offer).tolist() == expected


def test_by_row_groups_the_entries_of_each_row() -> None:
    rows, cols, levels = np.array([0, 0, 3, 5, 5, 5]), np.array([1, 4, 0, 2, 3, 7]), np.array([2, 1, 5, 3, 3, 8])
    entries = _ByRow(rows, cols, levels)
    assert [entries[r] for r in (5, 0, 1, 3, 6, 2, 4)] == [((2, 3), (3, 3), (7, 8)), ((1, 2), (4, 1)), (), ((0, 5),),
                                                          (), (), ()]
    assert entries[5] is entries[5]  # built once
    assert all(type(c) is int and type(v) is int for c, v in entries[5])  # Python ints, as the search indexes them
    empty = _ByRow(rows[:0], cols[:0], levels[:0])
    assert empty[0] == () and empty[1] == ()


@st.composite
def blocks(draw: st.DrawFn) -> tuple[Children, Pool, float | None, float | None, Bar, np.ndarray, int,
                                     tuple[np.ndarray, np.ndarray] | None]:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    m, q = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    p, c = draw(st.integers(1, 30)), draw(st.integers(1, 12))
    units = np.sort(rng.choice(60, p, replace=False))
    profiles = rng.integers(0, 4, (q, m)) / (4.0 * m)
    # dates: day 0–30, 0–5 days long, so that runs overlap, touch, or miss each other on either side
    pool_start, kid_start = rng.integers(0, 30, p), rng.integers(0, 30, c)
    pool = Pool(units, rng.integers(0, 4, p) * 50.0, rng.integers(1, 4, p) * 8.0, rng.integers(0, 8, p),
                rng.random(p) < 0.5, pool_start, pool_start + rng.integers(0, 6, p), rng.integers(0, q, p), profiles)
    kid_unit = rng.integers(0, 60, c)
    kids = Children(kid_unit, kid_unit + rng.integers(0, 40, c), rng.integers(0, 4, (c, m)) / (4.0 * m),
                    rng.integers(0, 4, c) * 50.0, rng.integers(0, 4, c) * 8.0, rng.integers(0, 8, c),
                    rng.random(c) < 0.5, kid_start, kid_start + rng.integers(0, 6, c))
    money = draw(st.sampled_from([None, 100.0, 250.0]))
    max_hours = draw(st.sampled_from([None, 24.0, 40.0]))
    # prices and hours on the grid the pairs sum to, so that ties on score go on to ties on price and on hours
    bar = Bar(draw(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])), draw(st.sampled_from([0.0, 100.0, 150.0, 300.0])),
              draw(st.sampled_from([0.0, 16.0, 24.0, 40.0])), draw(st.booleans()), draw(st.booleans()))
    wanted = rng.random(c) < 0.7
    block_elements = draw(st.sampled_from([1, 50, 1 << 21]))  # one child per chunk, a few, all at once
    nodes = None
    if draw(st.booleans()):  # the children of up to 3 nodes, each node with its own part of the pool
        count = draw(st.integers(1, 3))
        nodes = (rng.integers(0, count, c), rng.random((count, p)) < 0.6)
    return kids, pool, money, max_hours, bar, wanted, block_elements, nodes


@settings(max_examples=400, deadline=None)
@given(blocks(), st.booleans())
def test_last_pairs_equal_a_double_loop(block: tuple, with_threshold: bool) -> None:
    kids, pool, money, max_hours, bar, wanted, block_elements, nodes = block

    def beats(score: float, price: float, hours: float) -> bool:
        """The ranking's order, written out: more score; or as much, and less money (as rounded), less time, or
        as much of both and no more members (bar.smaller); in a best-score search (not bar.ties) more score."""
        if score != bar.score or not bar.ties:
            return score > bar.score
        p, h = round_one(price - 1e-7, PRICE_DECIMALS), round_one(hours - 1e-7, PRICE_DECIMALS)
        return (p, h) < (bar.price, bar.hours) or ((p, h) == (bar.price, bar.hours) and bar.smaller)

    hit, lasts, evaluated = last_pairs(kids, pool, money, max_hours, bar if with_threshold else None, wanted,
                                       block_elements=block_elements, nodes=nodes)
    want_evaluated, want_lasts = 0, {}
    for i in range(len(kids.unit)):
        passing = []
        for k, unit in enumerate(pool.units.tolist()):
            if not kids.unit[i] < unit < kids.cut[i] or pool.offer[k] == kids.offer[i]:
                continue
            if nodes is not None and not nodes[1][nodes[0][i], k]:
                continue
            if pool.s_conf[k] and kids.s_conf[i] and pool.s_start[k] <= kids.s_end[i] \
                    and pool.s_end[k] >= kids.s_start[i]:
                continue
            price, hours = kids.price[i] + pool.price[k], kids.hours[i] + pool.hours[k]
            if (money is not None and price > money + EPS) or (max_hours is not None and hours > max_hours + EPS):
                continue
            want_evaluated += 1
            score = round_one(float(np.maximum(kids.cov[i], pool.profiles[pool.profile[k]]).sum()), SCORE_DECIMALS)
            if not with_threshold or beats(score, float(price), float(hours)):
                passing.append(unit)
        if passing:
            want_lasts[i] = passing
    assert evaluated == want_evaluated
    assert hit.tolist() == [i in want_lasts for i in range(len(kids.unit))]
    assert {i: units.tolist() for i, units in lasts.items()} == {
        i: units for i, units in want_lasts.items() if wanted[i]}
