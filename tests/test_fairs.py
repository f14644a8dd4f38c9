"""Job fairs (issue 18 item 4) on real databases: employers take part and bring postings,
attendees are referred there (source = that fair), and each fair counts its referrals and
the intentions reached; bad input writes nothing; a fair's rows reach the central store."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from db.models import FairEmployer, Referral
from db.session import reading
from frontdesk.errors import UserError
from frontdesk.services import employers, fairs, postings, referrals, session_attendance, sessions
from frontdesk.services.acting import Actor
from frontdesk.services.employers import EmployerInput
from tests.activity_support import course, fair, posting_input
from tests.conftest import FIXED_NOW
from tests.gig_support import Desk, gig_desk, person
from tests.sync_support import (
    actor_of,
    assert_central_equals_desk,
    new_desk,
    pending,
    register_people,
    site_rows,
    sync,
)

LATER = FIXED_NOW + timedelta(hours=1)


def counts(engine: Engine) -> dict[str, int]:
    tables = ("fair_employers", "fair_postings", "referrals", "referral_events", "outbox")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def _posting(engine: Engine, actor: Actor, employer_id: uuid.UUID, **fields: object) -> uuid.UUID:
    return postings.add_posting(engine, actor, employer_id, posting_input(**fields), FIXED_NOW).id


def _other_employer(d: Desk) -> uuid.UUID:
    return employers.add_employer(d.engine, d.clerk, EmployerInput(name="蓬江家政"), FIXED_NOW).id


def _present(engine: Engine, actor: Actor, meeting_id: uuid.UUID, person_id: uuid.UUID) -> None:
    session_attendance.add_walk_up(engine, actor, meeting_id, FIXED_NOW, person_id=person_id)


def test_employers_take_part_and_bring_postings(desk) -> None:
    d = gig_desk(desk[0])
    made = fair(d.engine, d.clerk)
    other = _other_employer(d)
    packer = _posting(d.engine, d.clerk, d.employer_id)
    cleaner = _posting(d.engine, d.clerk, other, title="保洁员", job_type="保洁", positions="3")
    fairs.add_employer(d.engine, d.clerk, made.id, d.employer_id, FIXED_NOW)
    fairs.add_posting(d.engine, d.clerk, made.id, packer, FIXED_NOW)
    fairs.add_posting(d.engine, d.clerk, made.id, cleaner, FIXED_NOW)  # its employer joins
    view = fairs.fair_view(d.engine, "HS01", made.id)
    assert [(e.name, [p.title for p in e.postings]) for e in view.employers] == [
        ("恒达五金制品厂", ["包装工"]),
        ("蓬江家政", ["保洁员"]),
    ]
    assert (len(view.employers), view.postings, view.positions) == (2, 2, 5)

    # Leaving takes the employer's postings with it; coming back is the same row again.
    fairs.remove_employer(d.engine, d.clerk, made.id, other, LATER)
    view = fairs.fair_view(d.engine, "HS01", made.id)
    assert ([e.name for e in view.employers], view.postings) == (["恒达五金制品厂"], 1)
    fairs.add_posting(d.engine, d.clerk, made.id, cleaner, LATER)
    fairs.remove_posting(d.engine, d.clerk, made.id, packer, LATER)
    view = fairs.fair_view(d.engine, "HS01", made.id)
    assert [[p.title for p in e.postings] for e in view.employers] == [[], ["保洁员"]]
    assert counts(d.engine)["fair_employers"] == 2 and counts(d.engine)["fair_postings"] == 2
    with reading(d.engine) as s:
        back = s.get(FairEmployer, _fair_employer_id(d.engine, made.id, other))
        assert back is not None and not back.removed and back.row_version == 3


def _fair_employer_id(engine: Engine, session_id: uuid.UUID, employer_id: uuid.UUID) -> uuid.UUID:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT id FROM fair_employers WHERE session_id = :s AND employer_id = :e"),
            {"s": session_id.hex, "e": employer_id.hex},
        ).scalar_one()
    return uuid.UUID(found)


def test_referrals_at_a_fair_count_its_intentions(desk) -> None:
    d = gig_desk(desk[0])
    made = fair(d.engine, d.clerk)
    packer = _posting(d.engine, d.clerk, d.employer_id)
    elsewhere = _posting(d.engine, d.clerk, d.employer_id, title="仓管员", job_type="仓管")
    fairs.add_posting(d.engine, d.clerk, made.id, packer, FIXED_NOW)
    a, b, c = person(d, "王芳"), person(d, "李强"), person(d, "赵敏")
    for who in (a, b, c):
        _present(d.engine, d.clerk, made.meetings[0], who)
    first = referrals.refer(d.engine, d.clerk, packer, a, FIXED_NOW, session_id=made.id)
    second = referrals.refer(d.engine, d.clerk, packer, b, FIXED_NOW, session_id=made.id)
    referrals.refer(d.engine, d.clerk, packer, c, FIXED_NOW, session_id=made.id)
    referrals.refer(d.engine, d.clerk, elsewhere, a, FIXED_NOW)  # at the desk: not the fair's
    assert (first.source, first.session_id) == ("fair", made.id)
    referrals.record_outcome(d.engine, d.clerk, first.id, "intention", LATER)
    referrals.record_outcome(d.engine, d.clerk, second.id, "placed", LATER)  # straight away
    view = fairs.fair_view(d.engine, "HS01", made.id)
    assert (view.referrals, view.intentions) == (3, 2)
    assert [(p.referrals, p.intentions) for p in view.employers[0].postings] == [(3, 2)]
    # An intention reached and then lost still was reached at the fair.
    referrals.record_outcome(d.engine, d.clerk, first.id, "withdrew", LATER)
    assert fairs.fair_view(d.engine, "HS01", made.id).intentions == 2
    # Removing the posting from the fair keeps the referrals made there in its totals.
    fairs.remove_posting(d.engine, d.clerk, made.id, packer, LATER)
    view = fairs.fair_view(d.engine, "HS01", made.id)
    assert (view.postings, view.referrals, view.intentions) == (0, 3, 2)
    assert [p.name for p in fairs.attendees(d.engine, "HS01", made.id)] == ["李强", "王芳", "赵敏"]


def test_bad_fair_input_is_refused_at_its_field_and_nothing_written(desk) -> None:
    d = gig_desk(desk[0])
    made = fair(d.engine, d.clerk)
    packer = _posting(d.engine, d.clerk, d.employer_id)
    brought = _posting(d.engine, d.clerk, d.employer_id, title="仓管员", job_type="仓管")
    fairs.add_posting(d.engine, d.clerk, made.id, brought, FIXED_NOW)
    seeker, stranger = person(d, "王芳"), person(d, "李强")
    _present(d.engine, d.clerk, made.meetings[0], seeker)
    a_course = course(d)
    closed = _posting(d.engine, d.clerk, d.employer_id, title="焊工", job_type="焊工")
    postings.withdraw_posting(d.engine, d.clerk, closed, FIXED_NOW)

    def refused(call, field: str, code: str) -> None:
        before = counts(d.engine)
        with pytest.raises(UserError) as caught:
            call()
        assert (caught.value.field, caught.value.code) == (field, code)
        assert counts(d.engine) == before

    e, eng, clerk = d.employer_id, d.engine, d.clerk
    refused(
        lambda: fairs.add_employer(eng, clerk, made.id, e, LATER), "employer", "fair.employer_twice"
    )
    refused(
        lambda: fairs.add_posting(eng, clerk, made.id, brought, LATER),
        "posting",
        "fair.posting_twice",
    )
    refused(
        lambda: fairs.add_posting(eng, clerk, made.id, closed, LATER),
        "posting",
        "job.posting_closed.withdrawn",
    )
    refused(
        lambda: fairs.add_employer(eng, clerk, a_course.id, e, LATER), "session", "fair.not_a_fair"
    )
    refused(
        lambda: fairs.remove_posting(eng, clerk, made.id, packer, LATER),
        "posting",
        "fair.posting_not_in",
    )
    refused(  # not a posting the fair brought
        lambda: referrals.refer(eng, clerk, packer, seeker, LATER, session_id=made.id),
        "posting",
        "fair.posting_not_in",
    )
    refused(  # not ticked present at the fair
        lambda: referrals.refer(eng, clerk, brought, stranger, LATER, session_id=made.id),
        "person",
        "fair.not_attendee",
    )
    sessions.set_status(eng, clerk, made.id, "cancelled", LATER)
    refused(
        lambda: referrals.refer(eng, clerk, brought, seeker, LATER, session_id=made.id),
        "session",
        "activity.closed",
    )
    refused(
        lambda: fairs.remove_employer(eng, clerk, made.id, e, LATER), "session", "activity.closed"
    )


def test_a_fairs_employers_postings_and_referrals_reach_the_central_store(
    central, tmp_path: Path
) -> None:
    url, hq = central
    engine, site_url = new_desk(tmp_path, "HS01", url)
    register_people(engine, "HS01", 0, 2)
    actor = actor_of(engine, "HS01")
    with engine.connect() as conn:
        a, b = (uuid.UUID(str(x)) for x in conn.execute(text("SELECT id FROM people")).scalars())
    made = fair(engine, actor)
    employer = employers.add_employer(engine, actor, EmployerInput(name="恒达五金"), FIXED_NOW)
    packer = _posting(engine, actor, employer.id)
    fairs.add_posting(engine, actor, made.id, packer, FIXED_NOW)
    for who in (a, b):
        _present(engine, actor, made.meetings[0], who)
    first = referrals.refer(engine, actor, packer, a, FIXED_NOW, session_id=made.id)
    referrals.refer(engine, actor, packer, b, FIXED_NOW, session_id=made.id)
    referrals.record_outcome(engine, actor, first.id, "intention", LATER)
    fairs.remove_employer(engine, actor, made.id, employer.id, LATER)
    fairs.add_posting(engine, actor, made.id, packer, LATER)  # back, with its employer

    report = sync(engine, site_url)
    assert report.push.quarantined == 0 and report.pending == 0 and pending(engine) == 0
    assert_central_equals_desk(engine, hq, "HS01")
    rows = site_rows(hq, "HS01")
    assert len(rows["fair_employers"]) == 1 and len(rows["fair_postings"]) == 1
    at_fair = [r for r in rows["referrals"].values() if r["session_id"] == made.id]
    assert len(at_fair) == 2 and {r["source"] for r in at_fair} == {"fair"}
    with reading(hq) as s:
        assert s.get(Referral, first.id).session_id == made.id
    engine.dispose()
