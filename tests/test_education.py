"""Education (学历): every written form in the table reaches its stored code, however typed."""

from __future__ import annotations

import pytest

from frontdesk.domain.education import CODES, WRITTEN, education_code
from frontdesk.domain.registration import EDUCATION, clean_education
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.i18n.strings import CATALOGUE


def full_width(text: str) -> str:
    """ASCII as a Chinese input method types it in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(("written", "code"), sorted(WRITTEN.items()))
def test_every_written_form_reaches_its_code(written: str, code: str) -> None:
    assert code in CODES
    assert education_code(written) == code
    # However it was typed: spaces of every kind, full-width, any case.
    assert education_code(f" {written}\u00a0") == code
    assert education_code("\u3000".join(written)) == code
    assert education_code(full_width(written).upper()) == code
    assert clean_education(written) == code  # the form and the command line take it too


def test_every_stored_code_is_reachable_and_stored_codes_are_two_characters() -> None:
    assert set(WRITTEN.values()) == set(CODES) and EDUCATION == CODES
    assert all(len(code) == 2 for code in CODES)
    for code in CODES:
        assert WRITTEN[code] == code  # a stored code stands for itself


GB_T_4658 = {  # the standard's detailed codes and names (DOMAIN.md)
    "11": "博士研究生毕业", "12": "博士研究生结业", "13": "博士研究生肄业",
    "14": "硕士研究生毕业", "15": "硕士研究生结业", "16": "硕士研究生肄业",
    "17": "研究生班毕业", "18": "研究生班结业", "19": "研究生班肄业",
    "21": "大学本科毕业", "22": "大学本科结业", "23": "大学本科肄业", "28": "大学普通班毕业",
    "31": "大学专科毕业", "32": "大学专科结业", "33": "大学专科肄业",
    "41": "中等专科毕业", "42": "中等专科结业", "43": "中等专科肄业",
    "44": "职业高中毕业", "45": "职业高中结业", "46": "职业高中肄业",
    "47": "技工学校毕业", "48": "技工学校结业", "49": "技工学校肄业",
    "61": "普通高中毕业", "62": "普通高中结业", "63": "普通高中肄业",
    "71": "初中毕业", "73": "初中肄业", "81": "小学毕业", "83": "小学肄业", "90": "其他",
}  # fmt: skip
GROUPS = {"10": "研究生教育", "20": "大学本科", "30": "大学专科", "40": "中等职业教育",
          "60": "普通高级中学教育", "70": "初级中学教育", "80": "小学教育"}  # fmt: skip


def test_the_whole_standard_is_in_the_table_with_and_without_suffix() -> None:
    for code, name in {**GB_T_4658, **GROUPS}.items():
        assert code in WRITTEN and name in WRITTEN, (code, name)
        assert WRITTEN[code] == WRITTEN[name]  # the code and its name agree
        bare = name.removesuffix("毕业").removesuffix("结业").removesuffix("肄业")
        assert WRITTEN[bare] == WRITTEN[name], bare


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("12", "11"),  # 结业 and 肄业 count at their level
        ("博士研究生肄业", "11"),
        ("10", "14"),  # a group: its level's main code, postgraduate the lower one
        ("研究生", "14"),
        ("研究生班", "14"),
        ("28", "21"),
        ("高职", "31"),
        ("初中及以下", "71"),
        ("文盲/半文盲", "90"),
        ("中技", "47"),
        ("Ph.D.", "11"),
        ("MASTER'S", "14"),
        ("Master’s", "14"),
        ("Junior  College", "31"),
    ],
)
def test_the_mapping_decisions(written: str, code: str) -> None:
    assert education_code(written) == code


def test_the_export_names_read_back_in_both_languages() -> None:
    for code in CODES:
        zh, en = CATALOGUE[f"edu.{code}"]
        assert education_code(zh) == code and education_code(en) == code


def test_blank_is_no_education_and_an_unknown_one_names_accepted_forms() -> None:
    assert education_code("") == "" and education_code(" \u3000") == ""
    with pytest.raises(UserError) as err:
        education_code("幼儿园")
    assert err.value.field == "education"
    assert "本科、大专、高中、初中" in err.value.message() and "21" in err.value.message()
    set_language("en")
    assert "bachelor's" in err.value.message()
    with pytest.raises(UserError):
        clean_education("99")
