"""Job-seeker import and export strings (CLI, TUI and the problem report): key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- the problem report ------------------------------------------------------------
    "seeker_io.problem": (
        "第 {row} 行【{column}】：{reason}",
        "Row {row}, column {column}: {reason}",
    ),
    "seeker_io.rejected": (
        "共 {problems} 处问题（涉及 {rows} 行），未导入任何记录",
        "{problems} problems in {rows} rows: nothing was imported",
    ),
    "seeker_io.reason_item": ("【{column}有误】{reason}", "[{column}] {reason}"),
    "seeker_io.more_problems": (
        "……另有 {count} 处问题未列出",
        "… and {count} more problems not listed",
    ),
    "seeker_io.column_number": ("第 {number} 列", "column {number}"),
    # --- file and column problems --------------------------------------------------------
    "seeker_io.format": (
        "{path}：只支持 {formats} 文件",
        "{path}: only {formats} files are supported",
    ),
    "seeker_io.too_large": (
        "{path} 超过 {limit}，不像是一份登记表：请检查文件，或分成几个文件导入",
        "{path} is larger than {limit}, too large for a register: check the file or split it",
    ),
    "seeker_io.no_file": ("文件 {path} 不存在", "The file {path} does not exist"),
    "seeker_io.empty": (
        "{path} 没有内容：第一行应为表头",
        "{path} is empty: the first row must be the header",
    ),
    "seeker_io.encoding": (
        "无法读取 {path}：不是 UTF-8 或 GB18030 编码的文本（UTF-16 等编码或二进制文件不受支持），"
        "请在 Excel 或 WPS 中另存为“CSV UTF-8”或 XLSX",
        "Cannot read {path}: it is not UTF-8 or GB18030 text (UTF-16 and other encodings "
        'or binary files are not supported); save it as "CSV UTF-8" or XLSX',
    ),
    "seeker_io.workbook_as_csv": (
        "{path} 是 Excel 工作簿而不是 CSV：请把扩展名改为 .xlsx 或 .xls",
        "{path} is an Excel workbook, not a CSV file: rename it to .xlsx or .xls",
    ),
    "seeker_io.unreadable": (
        "无法读取 {path}：文件已损坏、不完整或不是 {kind} 格式",
        "Cannot read {path}: the file is damaged, incomplete or not in {kind} format",
    ),
    "seeker_io.csv_has_no_sheets": (
        "{path} 是 CSV 文件，没有工作表可选",
        "{path} is a CSV file: it has no sheets to choose from",
    ),
    "seeker_io.no_sheet": (
        "没有名为“{sheet}”的工作表（有：{sheets}）",
        'No sheet named "{sheet}" (the sheets are: {sheets})',
    ),
    "seeker_io.no_rows": ("文件中只有表头，没有数据行", "The file has a header but no data rows"),
    "seeker_io.unknown_column": (
        "未知的列名（可用：姓名、身份证号、手机号、学历、技能、求职意向、登记日期、备注，"
        "以及与身份证号核对的 性别、出生日期、出生年月、年龄，和 序号）",
        "Unknown column (use name, id_number, phone, education, skills, desired_jobs, "
        "registered_on, notes; gender, birth_date, birth_month and age are checked against "
        "the ID number; a 序号 column is ignored)",
    ),
    "seeker_io.duplicate_column": ("此列与前面的一列重复", "This column repeats an earlier one"),
    "seeker_io.missing_column": ("缺少这一必填列", "This required column is missing"),
    "seeker_io.unnamed_column": ("此列有数据但没有列名", "This column holds data but has no name"),
    # --- cell problems -------------------------------------------------------------------
    "seeker_io.number_lost": (
        "此单元格是数字，Excel 只保留 15 位，后几位已丢失：请把此列设为文本后重新录入",
        "This cell is a number and Excel keeps only 15 digits, so the last ones are lost: "
        "format the column as text and type it again",
    ),
    "seeker_io.bad_date": (
        "日期应写作 YYYY-MM-DD，如 2026-11-26（也可写 2026/11/26、2026.11.26 或 2026年11月26日）",
        "A date is written YYYY-MM-DD, e.g. 2026-11-26 (2026/11/26, 2026.11.26 and "
        "2026年11月26日 are read too)",
    ),
    "seeker_io.uncalculated": (
        "此单元格是没有保存计算结果的公式：请在 Excel 或 WPS 中打开并保存文件后再导入",
        "This cell is a formula saved without its value: open the file in Excel or WPS, "
        "save it, and import it again",
    ),
    "seeker_io.cell_too_long": (
        "内容过长（超过 {limit} 个字符），不像是一格登记内容",
        "Too long (over {limit} characters) for a register's cell",
    ),
    "seeker_io.bad_gender": ("性别应写 男 或 女", "Gender is written 男 or 女 (or M / F)"),
    "seeker_io.gender_mismatch": (
        "性别与身份证号不符",
        "The gender does not match the ID number",
    ),
    "seeker_io.birth_date_mismatch": (
        "出生日期与身份证号不符",
        "The birth date does not match the ID number",
    ),
    "seeker_io.birth_month_mismatch": (
        "出生年月与身份证号不符",
        "The birth month does not match the ID number",
    ),
    "seeker_io.bad_status": (
        "状态应写 求职中、已就业 或 已注销",
        "The status is one of Seeking, Employed or Cancelled",
    ),
    "seeker_io.valid_until_before": (
        "有效期至早于登记日期",
        "The valid-until date is before the registration date",
    ),
    "seeker_io.bad_age": ("年龄应为整数，如 36", "The age is a whole number, e.g. 36"),
    "seeker_io.age_mismatch": (
        "年龄与身份证号不符（按 {day} 计算的周岁）",
        "The age does not match the ID number (full years on {day})",
    ),
    "seeker_io.duplicate_in_file": (
        "与第 {row} 行的身份证号相同",
        "Same ID number as row {row}",
    ),
    # --- output files and people ----------------------------------------------------------
    "seeker_io.rejects_format": (
        "问题行文件须与导入文件格式相同（{suffix}）",
        "The rejects file must have the import file's format ({suffix})",
    ),
    "seeker_io.exists": (
        "{path} 已存在，不会覆盖",
        "{path} already exists and will not be overwritten",
    ),
    "seeker_io.no_folder": ("文件夹 {path} 不存在", "The folder {path} does not exist"),
    "seeker_io.cannot_write": ("无法写入 {path}：{reason}", "Cannot write {path}: {reason}"),
    "seeker_io.no_such_manager": ("没有名为 {name} 的在职店长", "No active manager named {name}"),
    "seeker_io.no_manager": ("站点 {site} 没有在职店长", "Site {site} has no active manager"),
    # --- outcomes ------------------------------------------------------------------------
    "seeker_io.progress": (
        "已读 {done:,} / {total:,} 行 · 每秒 {rate:,} 行{left}",
        "{done:,} of {total:,} rows read · {rate:,} rows/s{left}",
    ),
    "seeker_io.progress_open": (
        "已读 {done:,} 行 · 每秒 {rate:,} 行",
        "{done:,} rows read · {rate:,} rows/s",
    ),
    "seeker_io.progress_left": (" · 约剩 {seconds} 秒", " · about {seconds} s left"),
    "seeker_io.esc_cancels": (
        "按 Esc 取消导入（不写入任何记录）",
        "Esc cancels the import (nothing is written)",
    ),
    "seeker_io.cli_progress": ("导入求职登记", "Importing job seekers"),
    "seeker_io.cli_rate": ("每秒 {rate:,} 行", "{rate:,} rows/s"),
    "seeker_io.cancelling": ("正在取消……", "Cancelling…"),
    "seeker_io.cancelled": ("导入已取消，未写入任何记录", "Import cancelled: nothing was written"),
    "seeker_io.imported": ("已导入 {count} 条求职登记", "{count} job seekers imported"),
    "seeker_io.imported_with_rejects": (
        "已导入 {count} 条；{rejected} 行有问题未导入，已连同原因写入 {path}",
        "{count} imported; {rejected} rows with problems were skipped and written with "
        "their reasons to {path}",
    ),
    "seeker_io.imported_skipped": (
        "已导入 {count} 条；{rejected} 行有问题未导入",
        "{count} imported; {rejected} rows with problems were skipped",
    ),
    "seeker_io.exported": (
        "已导出 {count} 条求职登记（已脱敏）：{path}",
        "{count} job seekers exported (masked): {path}",
    ),
    "seeker_io.exported_unmasked": (
        "已导出 {count} 条求职登记的完整信息：{path}（已记入审计日志）",
        "{count} job seekers exported with full values: {path} (recorded in the audit log)",
    ),
    # --- command line ------------------------------------------------------------------
    "seeker_io.cli_import_help": (
        "从 CSV、XLSX 或 XLS 文件导入",
        "import from a CSV, XLSX or XLS file",
    ),
    "seeker_io.cli_import_seekers_help": (
        "导入求职登记：全部无误才导入，否则列出每处问题",
        "import job seekers: all rows or none, with a report of every problem",
    ),
    "seeker_io.cli_export_help": (
        "导出为 CSV 或 XLSX（默认脱敏）",
        "export to CSV or XLSX (masked by default)",
    ),
    "seeker_io.cli_export_seekers_help": (
        "导出本站求职登记",
        "export this site's job seekers",
    ),
    "seeker_io.cli_opt_file": (
        "要导入的 CSV、XLSX 或 XLS 文件",
        "the CSV, XLSX or XLS file to import",
    ),
    "seeker_io.cli_opt_sheet": (
        "要导入的工作表名称（默认：第一个表头相符的工作表）",
        "the name of the sheet to import (default: the first whose header fits)",
    ),
    "seeker_io.cli_opt_skip_invalid": (
        "导入无误的行，跳过有问题的行（须同时给出 --rejects）",
        "import the valid rows and skip the others (needs --rejects)",
    ),
    "seeker_io.cli_opt_rejects": (
        "把跳过的行连同原因写入此文件（与导入文件格式相同）",
        "write the skipped rows with their reasons to this file (same format as the input)",
    ),
    "seeker_io.cli_opt_output": (
        "导出文件路径（.csv 或 .xlsx）",
        "path of the export file (.csv or .xlsx)",
    ),
    "seeker_io.cli_opt_manager": (
        "店长姓名：导出完整姓名、身份证号和电话（须同时给出 --pin）",
        "a manager's name: export full names, ID numbers and phones (needs --pin)",
    ),
    "seeker_io.cli_opt_pin": (
        "该店长的 PIN；也可用环境变量 FRONTDESK_PIN，或不填在终端中输入",
        "that manager's PIN; or FRONTDESK_PIN, or leave it out and type it when asked",
    ),
    "seeker_io.cli_rejects_needed": (
        "--skip-invalid 与 --rejects FILE 须一起使用",
        "--skip-invalid and --rejects FILE go together",
    ),
    "seeker_io.cli_pin_needed": (
        "--manager 与 --pin 须一起使用",
        "--manager and --pin go together",
    ),
    # --- screens -------------------------------------------------------------------------
    "seeker_io.import_title": ("导入求职登记", "Import job seekers"),
    "seeker_io.import_intro": (
        "CSV、XLSX 或 XLS 文件，带表头行。全部无误才导入；否则列出每处问题。",
        "A CSV, XLSX or XLS file with a header row. All rows are imported or none; "
        "every problem is listed.",
    ),
    "seeker_io.file": ("文件路径", "File"),
    "seeker_io.skip_invalid": ("跳过有问题的行", "Skip invalid rows"),
    "seeker_io.rejects": ("问题行存至", "Rejects file"),
    "seeker_io.path_required": ("请填写文件路径", "Give a file path"),
    "seeker_io.rejects_required": (
        "跳过问题行时，须指定存放问题行的文件",
        "Give a file to keep the skipped rows in",
    ),
    "seeker_io.importing": ("正在导入…", "Importing…"),
    "seeker_io.export_title": ("导出求职登记", "Export job seekers"),
    "seeker_io.export_masked_note": (
        "姓名、身份证号和电话将脱敏导出",
        "Names, ID numbers and phones are exported masked",
    ),
    "seeker_io.export_pin_note": (
        "如需完整信息，请再次输入您的店长 PIN（记入审计日志）；留空则脱敏导出",
        "For full values type your manager PIN again (audited); leave it empty to export masked",
    ),
    "seeker_io.pin": ("店长 PIN", "Manager PIN"),
    "seeker_io.exporting": ("正在导出…", "Exporting…"),
}
