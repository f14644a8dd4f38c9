"""The one translation catalogue: key -> (zh_CN, English), assembled from one module per area.

A key may be defined once only; tests/test_i18n.py checks every entry and every use.
"""

from __future__ import annotations

from frontdesk.i18n.strings import (
    activities,
    bills,
    check,
    closeout,
    closeout_screen,
    closing,
    core,
    day_log,
    day_report,
    district_key,
    fairs,
    first_day,
    gig_screens,
    gigs,
    hq,
    hq_accounts,
    hq_screens,
    job_screens,
    jobs,
    navigation,
    pins,
    printer,
    printing,
    seeker_io,
    seeker_screens,
    sync,
    walkin_io,
    walkins,
)

_PARTS = (
    core.ENTRIES,
    district_key.ENTRIES,
    closeout.ENTRIES,
    closeout_screen.ENTRIES,
    closing.ENTRIES,
    seeker_screens.ENTRIES,
    seeker_io.ENTRIES,
    walkins.ENTRIES,
    walkin_io.ENTRIES,
    day_log.ENTRIES,
    day_report.ENTRIES,
    gigs.ENTRIES,
    gig_screens.ENTRIES,
    jobs.ENTRIES,
    job_screens.ENTRIES,
    sync.ENTRIES,
    hq.ENTRIES,
    hq_screens.ENTRIES,
    check.ENTRIES,
    pins.ENTRIES,
    bills.ENTRIES,
    printer.ENTRIES,
    printing.ENTRIES,
    navigation.ENTRIES,
    first_day.ENTRIES,
    activities.ENTRIES,
    fairs.ENTRIES,
    hq_accounts.ENTRIES,
)


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in _PARTS:
        clash = merged.keys() & part.keys()
        if clash:
            raise RuntimeError(f"catalogue keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGUE = _merge()
