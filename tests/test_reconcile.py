"""Matching desk entries against bill lines: by amount and time, refunds too, and the slips."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.reconcile import Entry, pair_up, reconcile
from frontdesk.services.bill_layouts import BillLine

WINDOW = timedelta(minutes=10)
T0 = datetime(2026, 11, 26, 9, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def entry(ref: str, minutes: float, fen: int, method: str = "wechat") -> Entry:
    return Entry(ref, at(minutes), fen, method)


def line(minutes: float, fen: int, no: str = "") -> BillLine:
    return BillLine(at(minutes), fen, no or f"wx{minutes}")


def refs(pairs) -> list[tuple[str, str]]:
    return [(e.ref, b.trade_no) for e, b in pairs]


def test_same_amount_near_in_time_matches() -> None:
    entries = [entry("a", 0, 6800), entry("b", 30, 13500)]
    lines = [line(1, 6800, "L1"), line(31, 13500, "L2")]
    result = reconcile("wechat", entries, lines, WINDOW)
    assert refs(result.matched) == [("a", "L1"), ("b", "L2")]
    assert result.balanced and result.bill_fen == 20300


def test_an_amount_off_by_a_fen_or_a_time_beyond_the_window_does_not_match() -> None:
    entries = [entry("a", 0, 6800), entry("b", 60, 4500)]
    lines = [line(0, 6801, "L1"), line(60 + 10.5, 4500, "L2")]
    result = reconcile("wechat", entries, lines, WINDOW)
    assert result.matched == []
    assert [e.ref for e in result.unmatched_entries] == ["a", "b"]
    assert [b.trade_no for b in result.unmatched_lines] == ["L1", "L2"]
    assert not result.balanced


def test_the_window_edge_is_inside() -> None:
    result = reconcile("wechat", [entry("a", 0, 100)], [line(10, 100, "L")], WINDOW)
    assert refs(result.matched) == [("a", "L")]


def test_a_refund_matches_a_void_not_a_payment() -> None:
    entries = [entry("pay", 0, 6800), entry("void", 120, -6800)]
    lines = [line(1, 6800, "P"), line(121, -6800, "R")]
    result = reconcile("wechat", entries, lines, WINDOW)
    assert refs(result.matched) == [("pay", "P"), ("void", "R")]


def test_many_equal_amounts_pair_in_time_order() -> None:
    # Five ¥10 classes paid a few minutes apart: each pairs with its own line, none left.
    entries = [entry(f"e{i}", 3 * i, 1000) for i in range(5)]
    lines = [line(3 * i + 2, 1000, f"L{i}") for i in range(5)]
    result = reconcile("wechat", entries, lines, WINDOW)
    assert refs(result.matched) == [(f"e{i}", f"L{i}") for i in range(5)]


def test_a_mobile_payment_keyed_as_cash_is_pointed_out() -> None:
    entries = [
        entry("wx", 0, 6800),
        entry("cash-slip", 20, 4500, "cash"),  # the WeChat ¥45 keyed as cash
        entry("cash-real", 40, 4500, "cash"),  # far from any bill line: real cash
    ]
    lines = [line(0, 6800, "L1"), line(21, 4500, "L2")]
    result = reconcile("wechat", entries, lines, WINDOW)
    assert refs(result.matched) == [("wx", "L1")]
    assert [b.trade_no for b in result.unmatched_lines] == ["L2"]
    assert refs(result.keyed_as_cash) == [("cash-slip", "L2")]
    assert result.unmatched_entries == []  # cash entries are not the bill's to claim


def test_other_methods_are_left_alone() -> None:
    entries = [entry("ali", 0, 6800, "alipay")]
    result = reconcile("wechat", entries, [], WINDOW)
    assert result.matched == result.unmatched_entries == result.unmatched_lines == []


# --- the greedy finds as many matches as any pairing could -------------------------------------


def most_matches(entries, lines, window: timedelta) -> int:
    """Maximum bipartite matching by augmenting paths (small inputs only)."""
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j, b in enumerate(lines):
            ok = b.amount_fen == entries[i].amount_fen and abs(b.at - entries[i].at) <= window
            if ok and j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(place(i, set()) for i in range(len(entries)))


timed = st.tuples(st.integers(0, 60), st.sampled_from([1000, 4500, -1000]))


@settings(max_examples=200, deadline=None)
@given(st.lists(timed, max_size=8), st.lists(timed, max_size=8))
def test_pairing_is_as_large_as_it_can_be(raw_entries, raw_lines) -> None:
    entries = [entry(f"e{i}", m, fen) for i, (m, fen) in enumerate(raw_entries)]
    lines = [line(m, fen, f"L{i}") for i, (m, fen) in enumerate(raw_lines)]
    pairs, left_entries, left_lines = pair_up(entries, lines, WINDOW)
    assert len(pairs) == most_matches(entries, lines, WINDOW)
    for e, b in pairs:
        assert e.amount_fen == b.amount_fen and abs(e.at - b.at) <= WINDOW
    assert len(pairs) + len(left_entries) == len(entries)
    assert len(pairs) + len(left_lines) == len(lines)
