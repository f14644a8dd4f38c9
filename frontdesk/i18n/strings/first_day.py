"""Strings of the first day at the desk: the first-run wizard's folder, leaving a form with
unsaved typing, where saved files go."""

from __future__ import annotations

ENTRIES: dict[str, tuple[str, str]] = {
    # --- first-run wizard: the database's folder ---------------------------------------------
    "setup.db_path": ("数据库文件", "Database file"),
    "setup.folder_missing": (
        "文件夹 {folder} 不存在：请改为已有文件夹中的路径，或按 F2 新建此文件夹",
        "The folder {folder} does not exist: change the path to one in an existing folder, "
        "or press F2 to create this folder",
    ),
    "setup.folder_made": ("已新建文件夹 {folder}", "Folder {folder} created"),
    "setup.folder_failed": (
        "无法新建文件夹 {folder}：{reason}",
        "Cannot create the folder {folder}: {reason}",
    ),
    "setup.path_empty": ("请填写数据库文件的路径", "Type the database file's path"),
    "setup.done_elsewhere": (
        "已建立 {site} 的前台数据库：{path}。下次启动请用 frontdesk --db {path}，"
        "或在配置文件中设置 db",
        "Desk database for {site} created at {path}. Start it next time with "
        "frontdesk --db {path}, or set db in the config file",
    ),
    "key.make_folder": ("新建文件夹", "Create folder"),
    # --- Esc on a form with unsaved typing -------------------------------------------------------
    "discard.title": ("放弃未保存的输入？", "Throw away what you typed?"),
    "discard.body": (
        "这个表单里有尚未保存的输入。按回车或 Y 放弃并离开；按 Esc 或 N 返回继续填写。",
        "This form holds typing that is not saved. Enter or Y throws it away and leaves; "
        "Esc or N goes back to the form.",
    ),
    "key.discard": ("放弃并离开", "Throw away"),
    # --- names suggested for files saved from the TUI (in the documents folder) -------------------
    "save.report_name": ("日结报表-{date}.txt", "day-report-{date}.txt"),
    "save.slip_name": ("工资条-{name}-{date}.txt", "pay-slip-{name}-{date}.txt"),
    "save.seekers_name": ("求职者名单-{date}.xlsx", "job-seekers-{date}.xlsx"),
    "key.keep_typing": ("继续填写", "Keep typing"),
    # --- the command line's slips ----------------------------------------------------------------
    "cli.central_missing": (
        "中心库 {path} 不存在：请检查路径，或先在总部运行 frontdesk central init",
        "The central store {path} does not exist: check the path, or run "
        "frontdesk central init at head office first",
    ),
    "cli.report_future": (
        "{date} 还没有到（今天是 {today}），没有报表",
        "{date} has not come yet (today is {today}): there is no report",
    ),
    # --- database drivers' messages (frontdesk/cli/driver_words.py) -------------------------------
    "driver.failed": ("数据库出错：{reason}", "Database error: {reason}"),
    "driver.refused": (
        "无法连接 {host} 的端口 {port}：服务器没有运行，或不接受连接",
        "Cannot connect to {host} port {port}: the server is not running or refuses connections",
    ),
    "driver.refused_somewhere": (
        "服务器拒绝连接：没有运行，或不接受连接",
        "The server refused the connection: not running, or not accepting connections",
    ),
    "driver.no_database": ("服务器上没有名为 {name} 的数据库", "The server has no database {name}"),
    "driver.no_role": ("服务器上没有登录名 {name}", "The server has no login {name}"),
    "driver.bad_password": ("登录名 {name} 的密码不对", "Wrong password for the login {name}"),
    "driver.no_password": (
        "服务器要求密码，但地址中没有",
        "The server wants a password; the URL has none",
    ),
    "driver.no_host": (
        "找不到服务器 {host}：请检查地址",
        "No server {host} found: check the address",
    ),
    "driver.timeout": ("连接服务器超时", "Connecting to the server timed out"),
    "driver.permission": ("没有权限：{what}", "Permission denied: {what}"),
    "driver.cannot_open": ("无法打开数据库文件", "Cannot open the database file"),
    "driver.not_a_database": ("不是数据库文件", "Not a database file"),
    "driver.malformed": ("数据库文件已损坏", "The database file is damaged"),
    "cli.opt_version": ("显示版本号后退出", "show program's version number and exit"),
    # argparse's own words (frontdesk/cli/argparse_words.py); the English is Python's
    "argparse.usage": ("用法：", "usage: "),
    "argparse.positionals": ("位置参数", "positional arguments"),
    "argparse.options": ("选项", "options"),
    "argparse.help": ("显示本帮助后退出", "show this help message and exit"),
    "argparse.subcommands": ("子命令", "subcommands"),
}
