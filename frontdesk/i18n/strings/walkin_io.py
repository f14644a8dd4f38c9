"""Walk-in import (the paper log) and walk-in/payment export strings: key -> (zh_CN, English).

File, header and report wording shared with the job-seeker import lives under seeker_io.*.
"""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- header and cell problems --------------------------------------------------------
    "walkin_io.unknown_column": (
        "未知的列名（可用：日期、时间、服务项目、身份证号、人数、金额、支付方式、备注，和 序号）",
        "Unknown column (use date, time, service, id_number, visitors, amount, method, notes; "
        "a 序号 column is ignored)",
    ),
    "walkin_io.date_required": ("请填写日期", "Give the date"),
    "walkin_io.future_date": ("日期不能晚于今天", "The date cannot be in the future"),
    "walkin_io.bad_time": (
        "时间应写作 HH:MM，如 09:30",
        "A time is written HH:MM, e.g. 09:30",
    ),
    "walkin_io.service_required": ("请填写服务项目", "Give the service"),
    "walkin_io.unknown_service": (
        "没有这个服务项目：请写目录中的代码（如 LG04）或名称（如 政策咨询）",
        "No such service: write its catalogue code (e.g. LG04) or its name "
        "(e.g. Policy consultation)",
    ),
    "walkin_io.unknown_person": (
        "本站没有以此身份证号登记的人：请先登记，或留空记为匿名来访",
        "Nobody is registered at this site with this ID number: register them first, "
        "or leave it empty for an anonymous visit",
    ),
    # --- export ----------------------------------------------------------------------------
    "walkin_io.bad_range": (
        "开始日期不能晚于结束日期",
        "The start date cannot be after the end date",
    ),
    "walkin_io.yes": ("是", "yes"),
    # --- outcomes ------------------------------------------------------------------------
    "walkin_io.imported": ("已导入 {count} 条来访记录", "{count} walk-ins imported"),
    "walkin_io.already_imported": (
        "此文件已于 {when} 导入过（{count} 条），未再导入；确需再次导入请加 --again",
        "This file was imported on {when} ({count} rows) and was not imported again; "
        "add --again if it really must be",
    ),
    "walkin_io.cli_opt_again": (
        "即使同一文件已导入过也再次导入",
        "import the file even though the same file was imported before",
    ),
    "walkin_io.imported_with_rejects": (
        "已导入 {count} 条来访记录；{rejected} 行有问题未导入，已连同原因写入 {path}",
        "{count} walk-ins imported; {rejected} rows with problems were skipped and written "
        "with their reasons to {path}",
    ),
    "walkin_io.exported_walkins": (
        "已导出 {start} 至 {end} 的 {count} 条来访记录（已脱敏）：{path}",
        "{count} walk-ins from {start} to {end} exported (masked): {path}",
    ),
    "walkin_io.exported_payments": (
        "已导出 {start} 至 {end} 的 {count} 条收款记录：{path}",
        "{count} income entries from {start} to {end} exported: {path}",
    ),
    # --- command line ----------------------------------------------------------------------
    "walkin_io.cli_import_walkins_help": (
        "导入纸质来访登记：全部无误才导入，否则列出每处问题",
        "import paper-log walk-ins: all rows or none, with a report of every problem",
    ),
    "walkin_io.cli_export_walkins_help": (
        "导出本站来访记录（来访者姓名脱敏）",
        "export this site's walk-ins (visitor names masked)",
    ),
    "walkin_io.cli_export_payments_help": (
        "导出本站收款记录（含冲销）",
        "export this site's income entries (reversals included)",
    ),
    "walkin_io.cli_opt_from": (
        "从此营业日起（YYYY-MM-DD，默认与结束日期相同）",
        "first business day (YYYY-MM-DD; default: the last day)",
    ),
    "walkin_io.cli_opt_to": (
        "到此营业日止（YYYY-MM-DD，默认今天）",
        "last business day (YYYY-MM-DD; default: today)",
    ),
    "walkin_io.cli_bad_date": (
        "日期应写作 YYYY-MM-DD：{value}",
        "a date is written YYYY-MM-DD: {value}",
    ),
}
