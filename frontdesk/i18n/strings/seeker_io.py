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
    "seeker_io.column_number": ("第 {number} 列", "column {number}"),
    # --- file and column problems --------------------------------------------------------
    "seeker_io.format": (
        "{path}：只支持 .csv 或 .xlsx 文件",
        "{path}: only .csv and .xlsx files are supported",
    ),
    "seeker_io.no_file": ("文件 {path} 不存在", "The file {path} does not exist"),
    "seeker_io.empty": (
        "{path} 没有内容：第一行应为表头",
        "{path} is empty: the first row must be the header",
    ),
    "seeker_io.encoding": (
        "无法读取 {path}：不是 UTF-8 或 GB18030 编码的文本",
        "Cannot read {path}: it is not UTF-8 or GB18030 text",
    ),
    "seeker_io.unreadable": ("无法读取 {path}：{reason}", "Cannot read {path}: {reason}"),
    "seeker_io.no_rows": ("文件中只有表头，没有数据行", "The file has a header but no data rows"),
    "seeker_io.unknown_column": (
        "未知的列名（可用：姓名、身份证号、手机号、学历、技能、求职意向、登记日期、备注）",
        "Unknown column (use name, id_number, phone, education, skills, desired_jobs, registered_on, notes)",
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
    "seeker_io.bad_education": (
        "学历应为 GB/T 4658 代码或名称，如 61 或 高中",
        "Education must be a GB/T 4658 code or name, e.g. 61 or 高中",
    ),
    "seeker_io.bad_date": (
        "日期应写作 YYYY-MM-DD，如 2026-11-26",
        "A date is written YYYY-MM-DD, e.g. 2026-11-26",
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
    "seeker_io.cli_import_help": ("从 CSV 或 XLSX 文件导入", "import from a CSV or XLSX file"),
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
    "seeker_io.cli_opt_file": ("要导入的 CSV 或 XLSX 文件", "the CSV or XLSX file to import"),
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
        "CSV 或 XLSX 文件，第一行为表头。全部无误才导入；否则列出每处问题。",
        "A CSV or XLSX file with a header row. All rows are imported or none; "
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
