"""Word lists for demo data around 环市街道, 蓬江区, 江门. Invented names, data only."""

from __future__ import annotations

# Surnames with a weight; common ones in the Pearl River Delta first. Polyphonic surnames
# are listed separately so every demo database holds a few of them.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("梁", 12), ("黄", 12), ("陈", 14), ("李", 10), ("张", 7), ("林", 7), ("吴", 6),
    ("谭", 6), ("甄", 2), ("司徒", 2), ("欧阳", 2), ("余", 4), ("何", 5), ("冯", 4),
    ("关", 3), ("伍", 3), ("刘", 5), ("周", 4), ("邓", 4), ("胡", 3), ("叶", 3), ("郑", 3),
    ("麦", 2), ("容", 1), ("钟", 3), ("卢", 3), ("曾", 3), ("区", 2), ("单", 1), ("解", 1),
    ("查", 1), ("朴", 1),
)  # fmt: skip
POLYPHONIC_SURNAMES = ("曾", "单", "解", "区", "查", "朴")

GIVEN_MALE = "伟强明杰俊浩志文辉健华军锦荣国永家耀冠宏斌坚启嘉乐振"
GIVEN_FEMALE = "丽芳敏婷燕玲静秀美霞嘉欣慧红艳惠彩凤琼娟雪莹倩洁晓颖"

# Address codes of Jiangmen's districts and county-level cities, with a weight.
ADDRESS_CODES: tuple[tuple[str, str, int], ...] = (
    ("440703", "蓬江区", 40),
    ("440704", "江海区", 10),
    ("440705", "新会区", 15),
    ("440781", "台山市", 12),
    ("440783", "开平市", 10),
    ("440784", "鹤山市", 8),
    ("440785", "恩平市", 5),
)

STREET_DISTRICT = "江门市蓬江区环市街道"
COMMUNITIES = ("白沙社区", "篁庄社区", "建设社区", "农林社区", "群星社区", "丰雅社区", "西区社区")
STREETS = (
    "白沙大道西",
    "建设路",
    "农林东路",
    "篁庄大道西",
    "群星路",
    "丰乐路",
    "环市三路",
    "迎宾大道",
)

EMPLOYERS: tuple[tuple[str, str], ...] = (
    ("江门市蓬江区恒达五金制品厂", "零部件装配"),
    ("江门市蓬江区新锐摩配厂", "零部件装配"),
    ("江门市蓬江区美佳电器配件厂", "质检"),
    ("江门市蓬江区利华包装材料厂", "包装"),
    ("江门市蓬江区顺达灯饰厂", "手工艺"),
    ("江门市蓬江区乐活电商有限公司", "直播带货"),
    ("江门市蓬江区广合服装加工厂", "包装"),
    ("江门市蓬江区汇丰物流有限公司", "装卸"),
)

# Gig jobs: pay mode, unit, rates in fen (text, exact) and for piece work the usual pace
# in pieces per hour, chosen so most workers clear the 17 yuan/hour minimum.
GIG_JOBS: dict[str, tuple[str, str, tuple[str, ...], tuple[int, int]]] = {
    "零部件装配": ("piece", "件", ("35.5", "42", "28.5"), (62, 95)),
    "包装": ("piece", "箱", ("120", "150"), (16, 26)),
    "手工艺": ("piece", "件", ("80", "95.5"), (22, 36)),
    "质检": ("hour", "小时", ("1900", "2000", "2200"), (0, 0)),
    "直播带货": ("hour", "小时", ("2500", "3000"), (0, 0)),
    "装卸": ("day", "天", ("15000", "18000"), (0, 0)),
}

SKILLS = (
    "零部件装配", "直播带货", "包装", "保洁", "月嫂", "收纳整理", "电商", "手工艺", "育婴",
    "烹饪", "缝纫", "电工", "仓库管理", "收银", "驾驶（C1）", "中式面点", "养老护理", "美容美发",
)  # fmt: skip
JOB_TYPES = (
    "零部件装配", "直播带货", "包装", "保洁", "月嫂", "收纳整理", "电商客服", "手工艺",
    "质检", "仓库理货", "收银员", "养老护理员", "厨房帮工", "快递分拣",
)  # fmt: skip
JOB_AREAS = ("环市街道", "蓬江区", "江海区", "江门市区", "不限")
AVAILABILITY = (
    "工作日 9:00–16:00（接送孩子）",
    "工作日全天",
    "周末",
    "上午",
    "下午",
    "全天，可加班",
    "每周三天",
)

# GB/T 4658 education codes with a weight.
EDUCATION: tuple[tuple[str, int], ...] = (
    ("11", 1), ("14", 2), ("21", 10), ("31", 14), ("41", 12), ("44", 5), ("47", 6),
    ("61", 20), ("71", 24), ("81", 5), ("90", 1),
)  # fmt: skip

ETHNICITIES: tuple[tuple[str, int], ...] = (("汉族", 95), ("壮族", 2), ("瑶族", 1), ("土家族", 2))
HUKOU_TYPES: tuple[tuple[str, int], ...] = (
    ("local_urban", 50),
    ("local_rural", 25),
    ("other_urban", 10),
    ("other_rural", 15),
)


MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip
