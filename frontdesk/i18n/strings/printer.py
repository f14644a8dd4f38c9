"""Receipt printer strings (settings, faults, the test page): key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- settings ------------------------------------------------------------------------
    "printer.unknown_setting": ("未知的打印机设置项 {key}", "Unknown printer setting {key}"),
    "printer.bad_value": (
        "打印机设置 {key} 的值 {value} 无效",
        "Printer setting {key}: {value} is not valid",
    ),
    "printer.bad_switch": (
        "打印机设置 {key} 须为 true 或 false，当前为 {value}",
        "Printer setting {key} must be true or false, not {value}",
    ),
    "printer.bad_kind": (
        "打印机类型 {value} 不受支持，可用：{kinds}",
        "Printer kind {value} is not supported; use one of: {kinds}",
    ),
    "printer.bad_width": (
        "纸宽 {value} 不受支持，请用 58 或 80（毫米）",
        "Paper width {value} is not supported: use 58 or 80 (mm)",
    ),
    "printer.bad_encoding": (
        "打印编码 {value} 不受支持，请用 gb18030 或 gbk",
        "Printer encoding {value} is not supported: use gb18030 or gbk",
    ),
    "printer.incomplete": (
        "{kind} 打印机缺少连接信息（网络需 host，串口和文件需 device，USB 需 vendor_id 和 product_id）",
        "The {kind} printer lacks its connection (network needs host, serial and file need "
        "device, USB needs vendor_id and product_id)",
    ),
    "printer.bad_env": (
        "FRONTDESK_PRINTER 的值 {value} 无效，应为 network:主机:端口、usb:厂商ID:产品ID、"
        "serial:设备、file:路径 或 none",
        "FRONTDESK_PRINTER={value} is not valid: use network:HOST:PORT, usb:VID:PID, "
        "serial:DEVICE, file:PATH or none",
    ),
    # --- faults --------------------------------------------------------------------------
    "printer.not_configured": (
        "未设置打印机：请在配置文件的 [printer] 中设置，或设置 FRONTDESK_PRINTER",
        "No printer is set up: set [printer] in the config file, or FRONTDESK_PRINTER",
    ),
    "printer.failed": (
        "打印机 {where} 无法打印（{reason}）：请检查电源、连线和纸张后再试",
        "The printer {where} cannot print ({reason}): check its power, cable and paper, "
        "then try again",
    ),
    "printer.printed": ("已发送到打印机 {where}", "Sent to the printer {where}"),
    # --- the test page -------------------------------------------------------------------
    "printer.test_title": ("打印测试", "Printer test"),
    "printer.test_paper": ("纸宽 {mm} 毫米，每行 {columns} 列", "Paper {mm} mm, {columns} columns"),
    "printer.test_code": (
        "编码 {encoding}，中文模式{mode}",
        "Encoding {encoding}, Chinese mode {mode}",
    ),
    "printer.on": ("开", "on"),
    "printer.off": ("关", "off"),
    "printer.test_cjk": (
        "中文测试：社区党群服务中心前台，零工市场求职登记与日结。",
        "CJK test: 社区党群服务中心前台，零工市场求职登记与日结。",
    ),
    "printer.test_amount": ("金额右对齐", "Amount, right-aligned"),
    "printer.test_qr": ("下方应有二维码", "A QR code should follow"),
    "printer.cli_help": ("收据打印机", "the receipt printer"),
    "printer.cli_notice_help": (
        "打印今天在招的岗位信息，贴在公告栏上",
        "print the postings open today, to pin on the notice board",
    ),
    "printer.cli_test_help": (
        "打印测试页（中文、列宽标尺、二维码）",
        "print a test page (Chinese text, a column ruler, a QR code)",
    ),
}
