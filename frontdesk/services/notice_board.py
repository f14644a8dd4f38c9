"""Publishing the open postings (岗位发布): a notice-board sheet (XLSX or plain text), a
plain-text block sized for a phone chat group, and the notices as the desk's receipt
printer prints them (a slip per posting to pin on the board, 32 or 48 cells wide).

Only postings open today are published, with the places still free. The employer's phone
is shown in full only where the employer agreed to publish it (`publish_phone`), and an
individual's (sealed) only while the desk's key is held; masked otherwise: the service
decides, as everywhere (domain/privacy.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import col, select

from db.models import Employer, JobPosting, Site
from db.sealed import Opener
from db.session import reading
from frontdesk.domain.money import yuan_text
from frontdesk.errors import UserError
from frontdesk.i18n import t
from frontdesk.services import printout as out
from frontdesk.services.employers import published_phone
from frontdesk.services.personal_keys import held
from frontdesk.services.postings import placed_count, status_clause
from frontdesk.services.spreadsheets import check_target, publish, write_tmp

CHAT_WIDTH = 20  # characters a phone's chat bubble shows on one line, about
CHAT_MAX = 15  # postings in one chat message: longer ones are not read


@dataclass(frozen=True)
class BoardLine:
    title: str
    employer: str
    job_type: str
    free: int  # positions not yet taken
    pay: str
    place: str
    hours: str
    requirements: str
    contact: str
    phone: str  # full only with the employer's consent
    valid_until: date


def open_postings(
    engine: Engine, site_code: str, today: date, posting_id: uuid.UUID | None = None
) -> list[BoardLine]:
    """The postings open today (or the one asked for, if it is open), ending soonest first."""
    placed = placed_count()
    stmt = (
        select(JobPosting, Employer, placed)
        .join(Employer, col(Employer.id) == JobPosting.employer_id)
        .where(JobPosting.site_code == site_code, col(JobPosting.deleted_at).is_(None))
        .where(status_clause("open", today))
        .order_by(col(JobPosting.valid_until), col(JobPosting.id))
    )
    if posting_id is not None:
        stmt = stmt.where(JobPosting.id == posting_id)
    with reading(engine) as s:
        found = s.exec(stmt).all()
    opener = held(engine)  # an individual's published phone opens only with the key
    return [_line(p, e, n, opener) for p, e, n in found]


def posting_notice(engine: Engine, site_code: str, today: date, posting_id: uuid.UUID) -> BoardLine:
    """One posting's notice; a posting that is not open today (filled, withdrawn, expired,
    not yet valid) is not published, and saying so beats a notice nobody can answer."""
    found = open_postings(engine, site_code, today, posting_id)
    if not found:
        raise UserError("notice.not_open", field="posting")
    return found[0]


def _line(p: JobPosting, e: Employer, placed: int, opener: Opener | None) -> BoardLine:
    return BoardLine(
        title=p.title,
        employer=e.name,
        job_type=p.job_type,
        free=max(0, p.positions - placed),
        pay=pay_text(p.pay_min_fen, p.pay_max_fen, p.pay_unit),
        place=p.place,
        hours=p.hours,
        requirements=_requirements(p),
        contact=e.contact_name,
        phone=published_phone(e, opener),
        valid_until=p.valid_until,
    )


def pay_text(low: int, high: int, unit: str) -> str:
    """'4000-5000 元/月', whole yuan without decimals."""
    span = _yuan(low) if low == high else f"{_yuan(low)}-{_yuan(high)}"
    return f"{span} {t(f'job.pay_unit.{unit}')}"


def _yuan(fen: int) -> str:
    return yuan_text(fen).removesuffix(".00")


def _requirements(p: JobPosting) -> str:
    parts = []
    if p.age_min is not None or p.age_max is not None:
        parts.append(t("notice.age", low=p.age_min or "", high=p.age_max or ""))
    if p.education:
        parts.append(t(f"edu.{p.education}"))
    parts += [*(p.skills or []), *([p.requirements] if p.requirements else [])]
    return "；".join(parts)


# --- the notice board ----------------------------------------------------------------------

HEADER_KEYS = (
    "notice.col_title", "notice.col_employer", "notice.col_free", "notice.col_pay",
    "notice.col_place", "notice.col_hours", "notice.col_requirements", "notice.col_contact",
    "notice.col_until",
)  # fmt: skip


def board_rows(lines: list[BoardLine]) -> list[list[object]]:
    return [
        [
            x.title,
            x.employer,
            x.free,
            x.pay,
            x.place,
            x.hours,
            x.requirements,
            f"{x.contact} {x.phone}".strip(),
            x.valid_until,
        ]
        for x in lines
    ]


def write_board(lines: list[BoardLine], path: Path, today: date) -> int:
    """The notice board as XLSX (or CSV) or, for a .txt path, as plain text."""
    path = Path(path)
    if path.suffix.lower() == ".txt":
        _check_text_target(path)
        tmp = path.with_name(f".{path.name}.partial")
        tmp.write_text(board_text(lines, today), encoding="utf-8")
        publish(tmp, path)
        return len(lines)
    check_target(path)
    header = [t(key) for key in HEADER_KEYS]
    tmp = write_tmp(path, header, board_rows(lines), guard_formulas=True)
    try:
        publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(lines)


def _check_text_target(path: Path) -> None:
    if path.exists():
        raise UserError("seeker_io.exists", field="output", path=str(path))
    if not path.parent.is_dir():
        raise UserError("seeker_io.no_folder", field="output", path=str(path.parent))


def board_text(lines: list[BoardLine], today: date) -> str:
    """The sheet as plain text: one block per posting, for printing on a board."""
    out = [t("notice.title", day=today.isoformat(), count=len(lines)), ""]
    for n, x in enumerate(lines, 1):
        out.append(f"{n}. {x.title}（{x.employer}）")
        out.append("   " + t("notice.line_pay", pay=x.pay, free=x.free))
        for key, value in (("notice.line_place", x.place), ("notice.line_hours", x.hours)):
            if value:
                out.append("   " + t(key, value=value))
        if x.requirements:
            out.append("   " + t("notice.line_requirements", value=x.requirements))
        out.append("   " + t("notice.line_contact", value=f"{x.contact} {x.phone}".strip()))
        out.append("   " + t("notice.line_until", day=x.valid_until.isoformat()))
    return "\n".join(out) + "\n"


def chat_block(lines: list[BoardLine], today: date) -> str:
    """A message for a phone chat group: short lines, the first CHAT_MAX postings, and how
    many more are on the board."""
    out = [t("notice.chat_title", day=f"{today.month}/{today.day}")]
    for x in lines[:CHAT_MAX]:
        out.append(f"【{x.title}】{x.free}{t('notice.people')}")
        out.append(x.pay)
        if x.place:
            out.append(x.place[:CHAT_WIDTH])
        out.append(t("notice.chat_call", phone=x.phone) if x.phone else x.employer[:CHAT_WIDTH])
    if len(lines) > CHAT_MAX:
        out.append(t("notice.chat_more", count=len(lines) - CHAT_MAX))
    return "\n".join(out) + "\n"


# --- on the receipt printer ----------------------------------------------------------------


def notices_to_print(
    engine: Engine, site_code: str, today: date, width: int, posting_id: uuid.UUID | None = None
) -> str:
    """One posting's notice, or every open posting's, laid out for the printer."""
    if posting_id is None:
        lines = open_postings(engine, site_code, today)
    else:
        lines = [posting_notice(engine, site_code, today, posting_id)]
    with reading(engine) as s:
        name = s.exec(select(Site.name).where(Site.code == site_code)).first()
    return printed_notices(lines, name or site_code, today, width)


def printed_notices(lines: list[BoardLine], site_name: str, today: date, width: int) -> str:
    """The notices at `width` cells a line (32 on 58 mm paper, 48 on 80 mm): the centre's
    name and the day on top, then one block per posting, every name and place whole
    (wrapped, never cut), between the rules a tear-off slip needs."""
    out.check_width(width, "notice")
    head = [out.center(line, width) for line in out.wrap(site_name, width)]
    head.append(out.center(t("notice.print_title"), width))
    head.append(out.center(today.isoformat(), width))
    blocks = [head, *(_notice(x, width) for x in lines)]
    if not lines:
        blocks.append(out.wrap(t("notice.none_open"), width))
    return out.framed(blocks, width)


def _notice(x: BoardLine, width: int) -> list[str]:
    lines = out.wrap(x.title, width)
    lines += out.labelled(t("notice.col_employer"), x.employer, width)
    lines.append(out.pair(t("notice.col_free"), f"{x.free}{t('notice.people')}", width))
    lines += out.labelled(t("notice.col_pay"), x.pay, width)
    for key, value in (
        ("notice.col_place", x.place),
        ("notice.col_hours", x.hours),
        ("notice.col_requirements", x.requirements),
    ):
        if value:
            lines += out.labelled(t(key), value, width)
    contact = f"{x.contact} {x.phone}".strip()
    if contact:
        lines += out.labelled(t("notice.col_contact"), contact, width)
    lines.append(out.pair(t("notice.col_until"), x.valid_until.isoformat(), width))
    return lines
