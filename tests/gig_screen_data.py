"""A day of micro-factory gigs for the screen tests and snapshots, made through the services.

Fixed names, phones and times (FIXED_NOW is Thursday 2026-11-26 10:30 in Jiangmen), so a
snapshot shows the same rows on every run and on every xdist worker.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from frontdesk.domain.gig_rules import OrderInput
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.services import attendance, dispatch, employers, gigs, settlement
from frontdesk.services.employers import EmployerInput
from frontdesk.services.seekers import register
from tests.conftest import FIXED_NOW
from tests.gig_support import CEILING_FEN, TODAY, at, gig_desk

TOMORROW = TODAY + timedelta(days=1)
# name -> (ID sequence, phone, desired jobs, skills, availability)
PEOPLE = {
    "欧阳娜娜": (22, "13912345678", ("包装",), "包装", "工作日上午"),
    "李四": (52, "18620001111", ("包装",), "", ""),
    "司徒志强": (41, "15018765432", ("零件组装",), "零件组装", "周末"),
    "王小红": (62, "13622223333", ("直播带货",), "", "下午"),
    "张三": (31, "13800138000", ("零件组装",), "", "全天"),
    "甄美玲": (72, "13544445555", ("零件组装",), "零件组装", "工作日上午"),
    "曾小明": (11, "0750-3312345", ("电商客服",), "零件组装", ""),
}


@dataclass(frozen=True)
class GigDay:
    engine: Engine
    people: dict[str, uuid.UUID]
    orders: dict[str, uuid.UUID]  # packing, live, parts (tomorrow), food (cancelled)
    assignments: dict[str, uuid.UUID]  # by worker name


def register_people(engine: Engine, clerk) -> dict[str, uuid.UUID]:
    ids = {}
    for i, (name, (seq, phone, jobs, skills, availability)) in enumerate(PEOPLE.items()):
        raw = SeekerInput(
            name=name,
            id_number=make_id("440703", date(1975 + 3 * i, 5, 1 + i), seq),
            phone=phone,
            skills=skills,
            desired_jobs=[(job, "", "") for job in jobs],
            availability=availability,
            consent=True,
        )
        ids[name] = register(engine, clerk, raw, FIXED_NOW).id
    return ids


def _order(engine, actor, employer_id, **fields) -> uuid.UUID:
    raw = OrderInput(employer_id=employer_id, **{"work_date": TODAY, **fields})
    return gigs.create_order(engine, actor, raw, FIXED_NOW, CEILING_FEN).id


def gig_day(engine: Engine) -> GigDay:
    """Today: packing 07:30–10:00 (piece, ¥10 fee) worked and partly paid, a live-stream shift
    09:00–12:00 (hourly) under way; tomorrow a parts order nobody is on; a cancelled one."""
    d = gig_desk(engine)
    clerk = d.clerk
    people = register_people(engine, clerk)
    live_id = employers.add_employer(
        engine, clerk, EmployerInput(name="白沙电商直播间"), FIXED_NOW
    ).id
    food_id = employers.add_employer(engine, clerk, EmployerInput(name="祥记食品"), FIXED_NOW).id
    common = {"place": "白沙社区小社微工厂", "unit": "件"}
    orders = {
        "packing": _order(
            engine,
            clerk,
            d.employer_id,
            job_type="包装",
            shift_start="07:30",
            shift_end="10:00",
            headcount="3",
            pay_mode="piece",
            rate="0.355",
            service_fee="10",
            fee_method="wechat",
            **common,
        ),
        "live": _order(
            engine,
            clerk,
            live_id,
            job_type="直播带货",
            place="白沙电商直播间二楼",
            shift_start="09:00",
            shift_end="12:00",
            headcount="2",
            pay_mode="hour",
            rate="19",
        ),
        "parts": _order(
            engine,
            clerk,
            d.employer_id,
            job_type="零件组装",
            work_date=TOMORROW,
            shift_start="08:30",
            shift_end="11:30",
            headcount="4",
            pay_mode="piece",
            rate="0.0355",
            **common,
        ),
        "food": _order(
            engine,
            clerk,
            food_id,
            job_type="包装",
            place="祥记食品后仓",
            work_date=TODAY + timedelta(days=2),
            shift_start="14:00",
            shift_end="18:00",
            headcount="2",
            pay_mode="day",
            rate="150",
        ),
    }
    gigs.cancel_order(engine, clerk, orders["food"], "企业改期", FIXED_NOW)

    def send(order: str, name: str) -> uuid.UUID:
        return dispatch.assign(engine, clerk, orders[order], people[name], FIXED_NOW).id

    a = {name: send("packing", name) for name in ("欧阳娜娜", "李四", "司徒志强")} | {
        name: send("live", name) for name in ("王小红", "张三")
    }
    attendance.check_in(engine, clerk, a["欧阳娜娜"], at(7, 28), at(7, 28))
    attendance.check_in(engine, clerk, a["李四"], at(7, 35), at(7, 35))
    attendance.mark_no_show(engine, clerk, a["司徒志强"], at(8))
    attendance.record_pieces(engine, clerk, a["欧阳娜娜"], 420, 400, 20, at(10))
    attendance.record_pieces(engine, clerk, a["李四"], 70, 60, 10, at(10))
    attendance.check_out(engine, clerk, a["欧阳娜娜"], at(10, 2), at(10, 2))
    attendance.check_out(engine, clerk, a["李四"], at(10, 1), at(10, 1))
    settlement.settle(engine, d.manager, a["欧阳娜娜"], "cash", "", at(10, 10))
    attendance.check_in(engine, clerk, a["王小红"], at(9, 5), at(9, 5))
    return GigDay(engine, people, orders, a)
