"""Matching a day's desk entries against a payment platform's bill, line by line.

An entry and a bill line match when they are of one method, the same amount to the fen and
within a time window of each other; refunds (negative) match voids and corrections the same
way. Within one amount, entries and lines are taken in time order and each entry takes the
earliest unmatched line still in its window: for intervals of one width this greedy finds
the most matches there can be, in O(n log n). What is left is said plainly: entries with no
bill line, bill lines with no entry, and the likely slips at the till, a cash entry of the
same amount near the time of a bill line nobody keyed (a mobile payment keyed as cash).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar


@dataclass(frozen=True)
class BillRules:
    """What a desk accepts of a bill: how far apart an entry and its line may be, and per
    method the merchant numbers or account names its own bills carry (config
    `[bill_accounts]`; a method not listed takes the account its last reconciled bill had)."""

    window: timedelta = timedelta(minutes=10)
    accounts: Mapping[str, frozenset[str]] = field(default_factory=dict)


class Timed(Protocol):
    @property
    def at(self) -> datetime: ...

    @property
    def amount_fen(self) -> int: ...


@dataclass(frozen=True)
class Entry:
    """A desk payment as reconciliation sees it."""

    ref: str  # the payment row's id
    at: datetime  # when it was taken, in the bill's time (Beijing)
    amount_fen: int  # negative for a refund
    method: str


@dataclass
class Reconciliation:
    method: str
    matched: list[tuple[Entry, Timed]] = field(default_factory=list)
    unmatched_entries: list[Entry] = field(default_factory=list)
    unmatched_lines: list[Timed] = field(default_factory=list)
    keyed_as_cash: list[tuple[Entry, Timed]] = field(default_factory=list)

    @property
    def bill_fen(self) -> int:
        return sum(line.amount_fen for _, line in self.matched) + sum(
            line.amount_fen for line in self.unmatched_lines
        )

    @property
    def balanced(self) -> bool:
        return not self.unmatched_entries and not self.unmatched_lines


A = TypeVar("A", bound=Timed)
B = TypeVar("B", bound=Timed)


def pair_up(
    entries: Iterable[A], lines: Iterable[B], window: timedelta
) -> tuple[list[tuple[A, B]], list[A], list[B]]:
    """(matched pairs, entries left, lines left): same amount, at most `window` apart."""
    by_amount: dict[int, tuple[list[A], list[B]]] = defaultdict(lambda: ([], []))
    for entry in entries:
        by_amount[entry.amount_fen][0].append(entry)
    for line in lines:
        by_amount[line.amount_fen][1].append(line)
    pairs: list[tuple[A, B]] = []
    left_entries: list[A] = []
    left_lines: list[B] = []
    for group_entries, group_lines in by_amount.values():
        got, lone_entries, lone_lines = _pair_in_time(group_entries, group_lines, window)
        pairs += got
        left_entries += lone_entries
        left_lines += lone_lines
    return pairs, sorted(left_entries, key=_time), sorted(left_lines, key=_time)


def _pair_in_time(
    entries: list[A], lines: list[B], window: timedelta
) -> tuple[list[tuple[A, B]], list[A], list[B]]:
    entries = sorted(entries, key=_time)
    lines = sorted(lines, key=_time)
    pairs: list[tuple[A, B]] = []
    lone_entries: list[A] = []
    lone_lines: list[B] = []
    i = 0
    for entry in entries:
        while i < len(lines) and lines[i].at < entry.at - window:
            lone_lines.append(lines[i])  # too early for this entry and every later one
            i += 1
        if i < len(lines) and lines[i].at <= entry.at + window:
            pairs.append((entry, lines[i]))
            i += 1
        else:
            lone_entries.append(entry)
    lone_lines += lines[i:]
    return pairs, lone_entries, lone_lines


def _time(item: Timed) -> datetime:
    return item.at


def reconcile(
    method: str, entries: Sequence[Entry], lines: Sequence[Timed], window: timedelta
) -> Reconciliation:
    """One method's entries (cash entries too, for the slips) against its bill's lines."""
    own = [e for e in entries if e.method == method]
    pairs, lone_entries, lone_lines = pair_up(own, lines, window)
    cash = [e for e in entries if e.method == "cash" and e.amount_fen > 0]
    takings = [line for line in lone_lines if line.amount_fen > 0]
    slips, _, _ = pair_up(cash, takings, window)
    return Reconciliation(method, pairs, lone_entries, lone_lines, sorted(slips, key=_pair_time))


def _pair_time(pair: tuple[Entry, Timed]) -> datetime:
    return pair[0].at
