"""A desk's employment services with fixed names, phones and dates, for the employment
screens' Pilot and snapshot tests (on top of the `desk_with_people` registrations, who all
wish for 包装 work at ¥4,500 a month).

Two employers (one with a credit code and its phone published, one individual business);
postings: packing (open, 2 places), cashier (1 place, filled by a placement), porter
(withdrawn) and leaflets (expired yesterday). 欧阳娜娜 is referred to packing, due for a
follow-up today; 单长乐 was placed as cashier.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import col, select

from db.models import Person, Staff
from db.session import reading
from frontdesk.domain import credit_code
from frontdesk.domain.job_rules import PostingInput
from frontdesk.services import employers, postings, referrals
from frontdesk.services.acting import Actor
from frontdesk.services.employers import EmployerInput
from tests.conftest import FIXED_NOW

CREDIT_CODE = credit_code.make_code("91440703MA4UJ8XW2")


@dataclass(frozen=True)
class JobDay:
    engine: Engine
    clerk: Actor
    factory: uuid.UUID
    shop: uuid.UUID
    postings: dict[str, uuid.UUID]
    people: dict[str, uuid.UUID]
    referrals: dict[str, uuid.UUID]


def posting_input(**fields: object) -> PostingInput:
    raw = PostingInput(
        title="包装工",
        job_type="包装",
        positions="2",
        pay_min="4000",
        pay_max="5000",
        pay_unit="月",
        place="白沙社区小社微工厂",
        hours="工作日 9:00-17:00",
        age_min="18",
        age_max="55",
        skills="包装",
        valid_from="2026-11-20",
        valid_until="2026-12-31",
    )
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


def job_day(engine: Engine) -> JobDay:
    with reading(engine) as s:
        clerk = Actor("HS01", s.exec(select(Staff.id).where(Staff.role == "clerk")).one())
        people = {p.name: p.id for p in s.exec(select(Person).order_by(col(Person.id)))}
    factory = employers.add_employer(
        engine,
        clerk,
        EmployerInput(
            name="江门市蓬江区恒达五金制品厂",
            credit_code=CREDIT_CODE,
            contact_name="王经理",
            phone="13800001111",
            address="蓬江区白沙大道 8 号",
            publish_phone=True,
        ),
        FIXED_NOW,
    ).id
    shop = employers.add_employer(
        engine,
        clerk,
        EmployerInput(
            name="白沙便民超市", kind="个体户", contact_name="林老板", phone="13922224444"
        ),
        FIXED_NOW,
    ).id

    def post(employer: uuid.UUID, **fields: object) -> uuid.UUID:
        return postings.add_posting(engine, clerk, employer, posting_input(**fields), FIXED_NOW).id

    made = {
        "leaflets": post(
            factory,
            title="派发传单",
            job_type="派单",
            positions="3",
            pay_min="150",
            pay_max="",
            pay_unit="日",
            valid_from="2026-11-01",
            valid_until="2026-11-25",
        ),
        "porter": post(
            shop, title="搬运工", job_type="搬运", pay_min="180", pay_max="200", pay_unit="日"
        ),
        "cashier": post(
            shop,
            title="收银员",
            job_type="收银",
            positions="1",
            pay_min="20",
            pay_max="22",
            pay_unit="时",
        ),
        "packing": post(factory),
    }
    postings.withdraw_posting(engine, clerk, made["porter"], FIXED_NOW)
    refs = {
        "packing": referrals.refer(
            engine, clerk, made["packing"], people["欧阳娜娜"], FIXED_NOW, follow_up_on="2026-11-26"
        ).id,
        "cashier": referrals.refer(engine, clerk, made["cashier"], people["单长乐"], FIXED_NOW).id,
    }
    referrals.record_outcome(engine, clerk, refs["cashier"], "placed", FIXED_NOW)
    return JobDay(engine, clerk, factory, shop, made, people, refs)
