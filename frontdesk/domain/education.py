"""Education (学历): every way it is written, mapped to the code the desk stores.

The desk stores one of eleven GB/T 4658-2006 codes (CODES; the column is two characters).
People write the standard's group and detailed codes and names, short forms (本科, 大专,
技校 …), phrases (初中及以下, 文盲) or English words; WRITTEN maps each of them to a stored
code, and `education_code` looks a value up ignoring spaces, full-width forms and case.
"""

from __future__ import annotations

import functools
import re

from frontdesk.domain.forms import nfkc
from frontdesk.errors import UserError

CODES = ("11", "14", "21", "31", "41", "44", "47", "61", "71", "81", "90")

# Written form -> stored code. The desk records the level of schooling reached, so 结业
# (completed without a degree) and 肄业 (left before completing) count at their level. A
# group code or name maps to its level's main code: 10, 研究生 and 研究生班 to 14, the lower
# of the two postgraduate levels, so nobody's schooling is overstated; 20 and 28 (大学普通班)
# to 21; 30 and 高职 to 31; 40 to 41; 60 to 61; 70 and 初中及以下 to 71; 80 and 小学及以下 to
# 81; 文盲 and 半文盲 to 90 (其他).
# fmt: off
WRITTEN: dict[str, str] = {
    # GB/T 4658-2006 codes: the group codes, then the detailed ones.
    "10": "14", "20": "21", "30": "31", "40": "41", "60": "61", "70": "71", "80": "81",
    "90": "90",
    "11": "11", "12": "11", "13": "11", "14": "14", "15": "14", "16": "14",
    "17": "14", "18": "14", "19": "14",
    "21": "21", "22": "21", "23": "21", "28": "21",
    "31": "31", "32": "31", "33": "31",
    "41": "41", "42": "41", "43": "41", "44": "44", "45": "44", "46": "44",
    "47": "47", "48": "47", "49": "47",
    "61": "61", "62": "61", "63": "61",
    "71": "71", "73": "71",
    "81": "81", "83": "81",
    # 10 研究生教育
    "研究生教育": "14",
    "博士研究生毕业": "11", "博士研究生结业": "11", "博士研究生肄业": "11", "博士研究生": "11",
    "硕士研究生毕业": "14", "硕士研究生结业": "14", "硕士研究生肄业": "14", "硕士研究生": "14",
    "研究生班毕业": "14", "研究生班结业": "14", "研究生班肄业": "14", "研究生班": "14",
    "研究生": "14", "博士": "11", "硕士": "14",
    # 20 大学本科
    "大学本科毕业": "21", "大学本科结业": "21", "大学本科肄业": "21", "大学本科": "21",
    "大学普通班毕业": "21", "大学普通班": "21", "本科": "21",
    # 30 大学专科
    "大学专科毕业": "31", "大学专科结业": "31", "大学专科肄业": "31", "大学专科": "31",
    "专科": "31", "大专": "31", "高职": "31",
    # 40 中等职业教育
    "中等职业教育": "41",
    "中等专科毕业": "41", "中等专科结业": "41", "中等专科肄业": "41", "中等专科": "41",
    "中专": "41", "中职": "41",
    "职业高中毕业": "44", "职业高中结业": "44", "职业高中肄业": "44", "职业高中": "44",
    "职高": "44",
    "技工学校毕业": "47", "技工学校结业": "47", "技工学校肄业": "47", "技工学校": "47",
    "技校": "47", "中技": "47",
    # 60 普通高级中学教育
    "普通高级中学教育": "61",
    "普通高中毕业": "61", "普通高中结业": "61", "普通高中肄业": "61", "普通高中": "61",
    "高中": "61",
    # 70 初级中学教育
    "初级中学教育": "71", "初中毕业": "71", "初中肄业": "71", "初中": "71",
    "初中及以下": "71",
    # 80 小学教育
    "小学教育": "81", "小学毕业": "81", "小学肄业": "81", "小学": "81", "小学及以下": "81",
    # 90 其他
    "其他": "90", "其它": "90", "文盲": "90", "半文盲": "90", "文盲/半文盲": "90",
    "文盲或半文盲": "90",
    # English, as people write it and as the English export names it.
    "doctorate": "11", "doctor": "11", "doctoral": "11", "PhD": "11", "Ph.D.": "11",
    "master's": "14", "master": "14", "postgraduate": "14",
    "bachelor's": "21", "bachelor": "21", "undergraduate": "21",
    "associate": "31", "associate degree": "31", "Associate (大专)": "31",
    "junior college": "31",
    "secondary vocational": "41", "secondary vocational school": "41",
    "vocational high school": "44",
    "technical school": "47", "technical secondary school": "47",
    "senior high school": "61", "high school": "61",
    "junior high school": "71", "middle school": "71", "junior middle school": "71",
    "primary school": "81", "primary": "81", "elementary": "81", "elementary school": "81",
    "other": "90", "others": "90", "none": "90", "illiterate": "90",
}
# fmt: on

_IGNORED = re.compile(r"[\s'’`.]+")  # spaces of every kind, apostrophes, dots (Ph.D.)


def fold(text: str) -> str:
    """A written form as it is compared: NFKC, no spaces, apostrophes or dots, case-folded."""
    return _IGNORED.sub("", nfkc(text)).casefold()


_LOOKUP = {fold(written): code for written, code in WRITTEN.items()}


@functools.lru_cache(maxsize=512)
def education_code(raw: str, field: str = "education") -> str:
    """The stored code for a written education, "" for blank, or a refusal at `field`.
    Remembered per text (a refusal is not: it is raised anew): an import meets the same
    few dozen written forms in every row, twice (the sheet's, then the form rule's)."""
    key = fold(raw)
    if not key:
        return ""
    code = _LOOKUP.get(key)
    if code is None:
        raise UserError("seeker.education", field=field)
    return code
