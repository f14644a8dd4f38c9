"""Names of employers and partners as a narrow screen shows them.

Registered names start with where they are registered: 江门市蓬江区恒达五金制品厂,
江门市蓬江区新锐摩配厂 ... In a column of them that shared part says nothing and pushes out
the part that tells them apart, so a list drops the administrative prefix every name in it
shares, and nothing more. A name with no such prefix is shown whole.
"""

from __future__ import annotations

from collections.abc import Iterable

# Endings of administrative units, longest first so 自治区 is not read as 区.
UNIT_ENDINGS = (
    "自治州",
    "自治县",
    "自治区",
    "街道",
    "省",
    "市",
    "州",
    "盟",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
)
UNIT_NAME = (2, 6)  # the shortest and longest name before its ending: 蓬江区, 环市街道


def admin_units(name: str) -> list[str]:
    """The administrative units a name starts with, in order: 江门市, 蓬江区 for
    江门市蓬江区恒达五金制品厂. A one-character stem (the 环 of 环市五金厂) is no unit."""
    units, at = [], 0
    while (unit := _unit_at(name, at)) is not None:
        units.append(unit)
        at += len(unit)
    return units


def _unit_at(name: str, at: int) -> str | None:
    shortest, longest = UNIT_NAME
    for end in range(at + shortest, min(at + longest, len(name)) + 1):
        for ending in UNIT_ENDINGS:
            if name.startswith(ending, end) and end + len(ending) < len(name):
                return name[at : end + len(ending)]
    return None


def shared_prefix(names: Iterable[str]) -> str:
    """The longest run of administrative units every name that has any starts with."""
    chains = [admin_units(n) for n in names]
    chains = [c for c in chains if c]
    if not chains:
        return ""
    shared = []
    for units in zip(*chains, strict=False):
        if any(u != units[0] for u in units):
            break
        shared.append(units[0])
    return "".join(shared)


def short_name(name: str, prefix: str) -> str:
    """`name` without `prefix`; whole when it does not start with it or is nothing more."""
    rest = name.removeprefix(prefix) if prefix else name
    return rest or name


def short_names(names: list[str]) -> list[str]:
    """Each name without the administrative prefix the list shares."""
    prefix = shared_prefix(names)
    return [short_name(n, prefix) for n in names]
