"""The center's default service lines (head office's catalogue, seeded at `init` and `demo`).

Head office owns this reference data and will send changes down by sync; a new desk starts
from these rows so it can log every service offline from its first day. Prices are integer
fen; a partner's share is in basis points of the income (7000 = 70 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.vocabulary import SERVICE_LINES  # noqa: F401  (the lines a service belongs to)

# The standing partner agreements apply from the programme's start, not from the day a desk
# was installed, so entries written down earlier (paper logs) still split correctly.
AGREEMENTS_FROM = date(2024, 1, 1)


@dataclass(frozen=True)
class PartnerSeed:
    key: str
    name: str
    kind: str
    share_bp: int


@dataclass(frozen=True)
class ServiceSeed:
    code: str
    name_zh: str
    name_en: str
    line: str
    paid: bool = False
    price_fen: int = 0
    partner: str = ""  # PartnerSeed.key of the operating partner
    quick: int = 0  # 1-9: the number key that picks it on the quick-log screen


PARTNERS = (
    PartnerSeed("housekeeping", "江门市蓬江区好帮手家政服务有限公司", "家政", 7000),
    PartnerSeed("clinic", "江门市蓬江区仁和中医诊所", "中医诊所", 6000),
    PartnerSeed("school", "江门市蓬江区启航职业培训学校", "职业培训", 5000),
)

_GIG = "gig_market"
_SKILLS = "skills"

SERVICES = (
    # Gig market (零工市场): free public-benefit services.
    ServiceSeed("LG01", "求职登记", "Job-seeker registration", _GIG, quick=2),
    ServiceSeed("LG02", "技能培训报名", "Skills training sign-up", _GIG, quick=3),
    ServiceSeed("LG03", "创业指导", "Entrepreneurship guidance", _GIG, quick=4),
    ServiceSeed("LG04", "政策咨询", "Policy consultation", _GIG, quick=1),
    ServiceSeed("LG05", "权益保障", "Rights protection", _GIG, quick=5),
    ServiceSeed("LG06", "招聘会", "Job fair", _GIG),
    ServiceSeed("LG07", "就业意向登记", "Employment intention", _GIG),
    # Micro-factory (小社微工厂).
    ServiceSeed("WG01", "零部件装配报名", "Parts assembly sign-up", "micro_factory"),
    ServiceSeed("WG02", "直播带货报名", "Live-stream sales sign-up", "micro_factory"),
    ServiceSeed(
        "WG03", "微工厂派工服务费", "Micro-factory dispatch fee", "micro_factory", True, 500
    ),
    # Housekeeping store (南粤家政超市), partner-operated.
    ServiceSeed(
        "JZ01",
        "日常保洁（每小时）",
        "Home cleaning (per hour)",
        "housekeeping",
        True,
        4500,
        "housekeeping",
        quick=6,
    ),
    ServiceSeed(
        "JZ02",
        "月嫂（26天）",
        "Maternity nurse (26 days)",
        "housekeeping",
        True,
        880000,
        "housekeeping",
    ),
    ServiceSeed(
        "JZ03",
        "收纳整理（3小时）",
        "Home organising (3 hours)",
        "housekeeping",
        True,
        29900,
        "housekeeping",
    ),
    ServiceSeed(
        "JZ04",
        "育婴师（每天）",
        "Infant carer (per day)",
        "housekeeping",
        True,
        25000,
        "housekeeping",
    ),
    ServiceSeed(
        "JZ05", "家电清洗", "Appliance cleaning", "housekeeping", True, 12000, "housekeeping"
    ),
    # Embedded TCM wellness center (嵌入式居家康养中心), partner clinic.
    ServiceSeed("KY01", "中医理疗", "TCM physiotherapy", "wellness", True, 6800, "clinic", quick=7),
    ServiceSeed("KY02", "艾灸", "Moxibustion", "wellness", True, 4800, "clinic"),
    ServiceSeed("KY03", "推拿", "Tuina massage", "wellness", True, 8800, "clinic"),
    ServiceSeed("KY04", "健康检测", "Health check", "wellness"),
    # Skills-improvement plan (全民技能提升计划): about twenty course categories.
    ServiceSeed("JN01", "家政服务员培训", "Housekeeping course", _SKILLS),
    ServiceSeed("JN02", "养老护理员培训", "Elderly care course", _SKILLS),
    ServiceSeed(
        "JN03", "母婴护理培训", "Maternal and infant care course", _SKILLS, True, 50000, "school"
    ),
    ServiceSeed("JN04", "育婴员培训", "Infant care course", _SKILLS, True, 50000, "school"),
    ServiceSeed("JN05", "电子商务培训", "E-commerce course", _SKILLS),
    ServiceSeed(
        "JN06", "直播营销培训", "Live-stream marketing course", _SKILLS, True, 30000, "school"
    ),
    ServiceSeed("JN07", "网店运营培训", "Online shop course", _SKILLS),
    ServiceSeed("JN08", "手工艺制作培训", "Handicraft course", _SKILLS),
    ServiceSeed("JN09", "粤菜师傅培训", "Cantonese cuisine course", _SKILLS),
    ServiceSeed("JN10", "中式面点培训", "Chinese pastry course", _SKILLS),
    ServiceSeed(
        "JN11", "美容美发培训", "Beauty and hairdressing course", _SKILLS, True, 60000, "school"
    ),
    ServiceSeed("JN12", "收纳整理师培训", "Home organiser course", _SKILLS, True, 40000, "school"),
    ServiceSeed("JN13", "保育员培训", "Childcare assistant course", _SKILLS),
    ServiceSeed("JN14", "电工培训", "Electrician course", _SKILLS),
    ServiceSeed("JN15", "计算机应用培训", "Computer skills course", _SKILLS),
    ServiceSeed("JN16", "缝纫工培训", "Sewing course", _SKILLS),
    ServiceSeed("JN17", "茶艺培训", "Tea art course", _SKILLS),
    ServiceSeed("JN18", "插花培训", "Flower arranging course", _SKILLS),
    ServiceSeed("JN19", "健康管理培训", "Health management course", _SKILLS),
    ServiceSeed("JN20", "汽车美容培训", "Car care course", _SKILLS),
    # Public-benefit classes and events (公益课堂、惠民活动): free, attendees counted.
    ServiceSeed("GY01", "公益课堂", "Public-benefit class", "classes", quick=8),
    ServiceSeed("GY02", "惠民活动", "Community event", "classes", quick=9),
    ServiceSeed("GY03", "长者课堂", "Class for older residents", "classes"),
    ServiceSeed("GY04", "亲子活动", "Parent-and-child activity", "classes"),
)
