"""The demo's employment services: credit codes for its employers, postings over its weeks,
referrals of the best-ranked seekers and their outcomes, made through the services.

A random stream of its own, so the rest of the demo is the same with or without it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from db.models import Employer, Staff
from db.session import reading
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.domain.credit_code import ALPHABET, make_code
from frontdesk.domain.job_rules import PostingInput
from frontdesk.errors import UserError
from frontdesk.services import demo_names as names
from frontdesk.services import matching, postings, referrals
from frontdesk.services.acting import Actor

PAY = {"month": (3200, 6000, 100), "day": (150, 260, 10), "hour": (18, 30, 1)}
HOURS = ("工作日 8:30-17:30", "工作日 9:00-16:00", "周末 全天", "每天 上午", "两班倒")
REQUIREMENTS = ("", "", "持健康证", "能适应站立工作", "会使用电脑", "有相关经验优先")
# What happens to a referral after it was made: the next step and the chance of it.
NEXT = {
    "referred": (("interviewed", 0.6), ("withdrew", 0.1)),
    "interviewed": (("intention", 0.55), ("not_hired", 0.3)),
    "intention": (("placed", 0.7), ("withdrew", 0.1)),
}


def credit_codes(rng: random.Random, employers: list[Employer]) -> None:
    """Companies' codes (18 characters, check character right); some agree to a public phone."""
    for employer in employers:
        body = "".join(rng.choice(ALPHABET) for _ in range(9))
        employer.credit_code = make_code(f"91440703{body}")
        employer.publish_phone = rng.random() < 0.5


def employment(engine: Engine, rng: random.Random, site: str, days: list[date]) -> dict:
    """Postings on about every other desk day, each referred to a few of its best
    candidates, whose referrals move on over the following days up to today."""
    with reading(engine) as s:
        employers = [e.id for e in s.exec(select(Employer).order_by(col(Employer.name)))]
        staff = [x.id for x in s.exec(select(Staff).where(Staff.site_code == site))]
    today = days[-1]
    made = {"job_postings": 0, "referrals": 0, "placements": 0}
    for day in days:
        if rng.random() < 0.5:
            continue
        for _ in range(rng.randint(1, 2)):
            actor = Actor(site, rng.choice(staff))
            posting = postings.add_posting(
                engine, actor, rng.choice(employers), _posting(rng, day), _at(rng, day)
            )
            made["job_postings"] += 1
            page = matching.candidates_for_posting(engine, site, posting.id, day, 0, 4)
            for candidate in page[: rng.randint(0, 3)]:
                try:
                    ref = referrals.refer(
                        engine, actor, posting.id, candidate.person_id, _at(rng, day)
                    )
                except UserError:  # filled by the placements before: nobody more is sent
                    break
                made["referrals"] += 1
                made["placements"] += outcomes(engine, rng, actor, ref.id, day, today)
    return made


def _posting(rng: random.Random, day: date) -> PostingInput:
    unit = rng.choice(("month", "month", "day", "hour"))
    low, high, step = PAY[unit]
    pay = rng.randrange(low, high, step)
    job = rng.choice(names.JOB_TYPES)
    return PostingInput(
        title=job if rng.random() < 0.6 else f"{job}（长期）",
        job_type=job,
        positions=str(rng.randint(1, 6)),
        pay_min=str(pay),
        pay_max=str(pay + pay // 5) if rng.random() < 0.7 else "",
        pay_unit=unit,
        place=f"{names.STREET_DISTRICT}{rng.choice(names.COMMUNITIES)}",
        hours=rng.choice(HOURS),
        age_min="18",
        age_max=str(rng.choice((45, 50, 55, 60))),
        requirements=rng.choice(REQUIREMENTS),
        valid_from=day,
        valid_until=day + timedelta(days=rng.choice((14, 30, 60))),
        source=rng.choice(("desk", "desk", "phone", "fair")),
    )


def outcomes(
    engine: Engine, rng: random.Random, actor: Actor, ref_id, day: date, today: date
) -> int:
    """Steps two to five days apart while they fall before today; 1 when it ends placed."""
    outcome = "referred"
    while outcome in NEXT:
        day += timedelta(days=rng.randint(2, 5))
        if day >= today:
            return 0
        roll, chosen = rng.random(), None
        for step, chance in NEXT[outcome]:
            if roll < chance:
                chosen = step
                break
            roll -= chance
        if chosen is None:
            return 0  # no news yet: its follow-up comes due
        try:
            referrals.record_outcome(engine, actor, ref_id, chosen, _at(rng, day))
        except UserError:  # every place taken meanwhile
            return 0
        outcome = chosen
    return int(outcome == "placed")


def _at(rng: random.Random, day: date) -> datetime:
    minute = rng.randint(9 * 60, 17 * 60)
    return datetime.combine(day, time(minute // 60, minute % 60), LOCAL_TZ).astimezone(UTC)
