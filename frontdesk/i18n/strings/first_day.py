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
}
