"""Bill files written the way the payment platforms write them, for the bill tests.

Each builder takes the transactions as (time, amount text, kind) and writes the platform's
preamble, header, padding (backticks, trailing tabs) and trailer around them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path


def columns(text: str) -> list[str]:
    return text.split(",")


WECHAT_MERCHANT_HEADER = columns(
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
# Some merchants still get the older columns.
WECHAT_OLD = {"应结订单金额": "总金额", "代金券金额": "代金券或立减优惠金额"}

Txn = tuple[str, str, str]  # ("2026-11-26 10:31:05", "68.00", "SUCCESS" / "REFUND" / …)


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


WECHAT_MCH_ID = "1900012345"  # the desk's WeChat Pay merchant number in these bills


def wechat_merchant(
    path: Path,
    txns: list[Txn],
    *,
    old: bool = False,
    bom: bool = True,
    merchant: str = WECHAT_MCH_ID,
    sub_merchant: str = "",
) -> Path:
    header = (
        [WECHAT_OLD.get(c, c) for c in WECHAT_MERCHANT_HEADER] if old else WECHAT_MERCHANT_HEADER
    )
    rows: list[list[str]] = [header]
    for n, (at, amount, status) in enumerate(txns, 1):
        refund = status == "REFUND"
        values = {
            "交易时间": at,
            "公众账号ID": "wx2421b1c4370ec43b",
            "商户号": merchant,
            "特约商户号": sub_merchant or "0",
            "微信订单号": f"42000000012026112600{n:02d}",
            "商户订单号": f"FD20261126{n:03d}",
            "交易类型": "NATIVE",
            "交易状态": status,
            "货币种类": "CNY",
            header[12]: amount,
            "退款金额": amount if refund else "0.00",
            "微信退款单号": f"50300000012026112600{n:02d}" if refund else "0",
            "商品名称": "中医理疗",
            "手续费": "0.41",
            "费率": "0.60%",
            "订单金额": amount,
        }
        rows.append(["`" + values.get(c, "") for c in header])
    rows.append(["总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额"])
    rows.append([f"`{len(txns)}", "`0.00", "`0.00", "`0.00", "`0.00"])
    text = _csv_text(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


ALIPAY_MERCHANT_HEADER = columns(
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,"
    "对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,"
    "商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
    "退款批次号/请求号,服务费（元）,分润（元）,备注"
)


ALIPAY_PID = "20881234567890120156"  # the desk's Alipay merchant account in these bills


def alipay_detail_text(txns: list[Txn], account: str = ALIPAY_PID) -> str:
    """The 业务明细 CSV: comment lines around the table, every value followed by a tab."""
    lines = [
        "#支付宝业务明细查询",
        f"#账号：[{account}]",
        "#起始日期：[2026年11月26日 00:00:00]   终止日期：[2026年11月27日 00:00:00]",
        "#-----------------------------------------业务明细列表------------------------------------",
        ",".join(ALIPAY_MERCHANT_HEADER),
    ]
    for n, (at, amount, kind) in enumerate(txns, 1):
        sign = "-" if kind == "退款" else ""
        values = {
            "支付宝交易号": f"20261126220014{n:06d}",
            "商户订单号": f"FD{n:04d}",
            "业务类型": kind,
            "商品名称": "日常保洁",
            "创建时间": at,
            "完成时间": at,
            "订单金额（元）": sign + amount,
            "商家实收（元）": sign + amount,
            "服务费（元）": "-0.81" if kind == "交易" else "0.81",
        }
        lines.append(",".join(values.get(c, "") + "\t" for c in ALIPAY_MERCHANT_HEADER))
    lines += [
        "#-----------------------------------------业务明细列表结束----------------------------------",
        f"#交易合计：{len(txns)}笔",
        "#导出时间：[2026年11月27日 09:12:33]",
    ]
    return "\r\n".join(lines) + "\r\n"


ALIPAY_SUMMARY = (
    "#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数,交易订单金额（元）\r\n,,3,180.00\r\n"
)


def alipay_merchant_zip(path: Path, txns: list[Txn]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:  # the summary first, as Alipay sometimes does
        prefix = "20881234567890120156_20261126"
        archive.writestr(f"{prefix}_业务明细(汇总).csv", ALIPAY_SUMMARY.encode("gbk"))
        archive.writestr(f"{prefix}_业务明细.csv", alipay_detail_text(txns).encode("gbk"))
    return path


WECHAT_PERSONAL_HEADER = [
    "交易时间",
    "交易类型",
    "交易对方",
    "商品",
    "收/支",
    "金额(元)",
    "支付方式",
    "当前状态",
    "交易单号",
    "商户单号",
    "备注",
]


def wechat_personal_rows(txns: list[Txn]) -> list[list[object]]:
    """The 微信支付账单明细 sheet; kind is 二维码收款, 二维码收款-退款 or 商户消费."""
    rows: list[list[object]] = [
        ["微信支付账单明细"],
        ["微信昵称：[白沙社区服务站]"],
        ["起始时间：[2026-11-26 00:00:00] 终止时间：[2026-11-26 23:59:59]"],
        ["导出类型：[全部]"],
        ["导出时间：[2026-11-27 09:00:00]"],
        [],
        [f"共{len(txns)}笔记录"],
        ["注："],
        ["1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易"],
        [],
        [],  # 2026: the header moved down a line
        ["----------------------微信支付账单明细列表--------------------"],
        WECHAT_PERSONAL_HEADER,
    ]
    for n, (at, amount, kind) in enumerate(txns, 1):
        income = kind == "二维码收款"
        rows.append(
            [
                datetime.fromisoformat(at) if n == 1 else at,  # one cell typed as a date
                kind,
                "张**",
                "收款方备注:二维码收款" if income else "/",
                "收入" if income else "支出",
                f"¥{amount}",
                "/" if income else "零钱",
                "已存入零钱" if income else "支付成功",
                f"100005000120261126{n:04d}",
                "/",
                "/",
            ]
        )
    return rows


def wechat_personal_xlsx(path: Path, txns: list[Txn]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "微信支付账单明细"
    for row in wechat_personal_rows(txns):
        sheet.append(row)
    book.save(path)
    return path


ALIPAY_PERSONAL_HEADER = (
    "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,"
    "交易订单号,商家订单号,备注,"
)


def alipay_personal_csv(path: Path, txns: list[Txn]) -> Path:
    """The personal bill (GBK): kind is 收入, 支出 or 退款; a preamble, then the table."""
    lines = [
        "------------------------------------------------------------------------------------",
        "导出信息：",
        "姓名：王**",
        "支付宝账户：138****5678",
        "起始时间：[2026-11-26 00:00:00]    终止时间：[2026-11-26 23:59:59]",
        "导出交易类型：[全部]",
        "导出时间：[2026-11-27 09:30:00]",
        f"共{len(txns)}笔记录",
        "",
        "特别提示：",
        "1.本回单内容可表明支付宝受理了此笔业务，但不代表实际资金用途。",
        "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
        ALIPAY_PERSONAL_HEADER,
    ]
    for n, (at, amount, kind) in enumerate(txns, 1):
        flow = {"退款": "不计收支"}.get(kind, kind)
        status = {"收入": "交易成功", "支出": "交易成功", "退款": "退款成功"}[kind]
        lines.append(
            f"{at},转账红包,李*,139******78,收钱码收款,{flow},{amount},,{status},"
            f"2026112622001{n:06d}\t,\t,,"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path
