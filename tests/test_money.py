"""Money's home: yuan and percent read exactly, written back the same way, never through float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.config import Config
from frontdesk.domain.money import (
    METHODS,
    clean_method,
    fmt_fen,
    parse_percent,
    parse_yuan,
    percent_text,
    yuan,
    yuan_text,
)
from frontdesk.errors import UserError


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_yuan_text_reads_back_to_the_same_fen(fen: int) -> None:
    text = yuan_text(fen)
    assert yuan(fen) == Decimal(text)
    if fen >= 0:
        assert parse_yuan(text, "amount", ceiling_fen=10**13) == fen


def test_texts_for_people_and_for_spreadsheets() -> None:
    assert fmt_fen(123456) == "¥1,234.56" and fmt_fen(-4500) == "-¥45.00"
    assert yuan_text(123456) == "1234.56" and yuan_text(-5) == "-0.05"
    assert [percent_text(bp) for bp in (2000, 1250, 2225, 5, 0)] == [
        "20%", "12.5%", "22.25%", "0.05%", "0%",
    ]  # fmt: skip


@given(st.integers(min_value=0, max_value=10000))
def test_percent_reads_back_to_the_same_basis_points(bp: int) -> None:
    assert parse_percent(percent_text(bp), "rate") == bp


@pytest.mark.parametrize("raw", ["abc", "-1", "100.5", "12.345", "NaN", "1e400"])
def test_bad_percentages_are_refused_at_their_field(raw: str) -> None:
    with pytest.raises(UserError) as err:
        parse_percent(raw, "rebate_percent")
    assert (err.value.code, err.value.field) == ("hq.bad_percent", "rebate_percent")


def test_blank_is_none_and_full_width_is_read() -> None:
    assert parse_percent(" ", "rate") is None and parse_yuan("", "amount") is None
    assert parse_percent("２０％", "rate") == 2000 and parse_yuan("￥１２.５", "amount") == 1250


def test_methods_by_code_or_by_the_names_people_write() -> None:
    assert [clean_method(m) for m in METHODS] == list(METHODS)
    assert clean_method("微信支付") == "wechat" and clean_method(" 刷卡 ") == "unionpay"
    assert clean_method("") == ""
    with pytest.raises(UserError) as err:
        clean_method("信用卡", field="fee_method")
    assert (err.value.code, err.value.field) == ("walkin.unknown_method", "fee_method")


def test_the_ceiling_is_the_configured_one_in_fen(tmp_path) -> None:
    cfg = Config(db=tmp_path / "d.sqlite3", amount_ceiling_yuan=500)
    assert cfg.amount_ceiling_fen == 50000
    assert parse_yuan("500", "amount", cfg.amount_ceiling_fen) == 50000
    with pytest.raises(UserError) as err:
        parse_yuan("500.01", "amount", cfg.amount_ceiling_fen)
    assert err.value.code == "money.too_large"
