"""Sync, central store and restore strings: key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- refusals and failures ---------------------------------------------------------
    "sync.not_a_desk": (
        "这不是前台数据库，无法同步",
        "This is not a desk database: nothing to sync",
    ),
    "sync.demo_desk": (
        "演示数据库不与中心库同步：演示数据不能进入总部的数字",
        "A demo database never syncs: its invented data must not reach head office",
    ),
    "sync.not_central": (
        "目标不是中心库：请先运行 frontdesk central init",
        "The target is not a central store: run `frontdesk central init` first",
    ),
    "sync.site_unknown": (
        "中心库未登记站点 {site}：请总部运行 frontdesk central add-site",
        "Site {site} is not registered centrally: HQ must run `frontdesk central add-site`",
    ),
    "sync.other_desk": (
        "中心库中站点 {site} 已绑定另一个前台数据库；请勿复制数据库，换机请用 frontdesk restore",
        "Site {site} is bound to another desk database centrally; do not copy databases, "
        "use `frontdesk restore` to move to a new PC",
    ),
    "sync.desk_schema_older": (
        "本机程序版本（数据结构 {desk}）低于中心库（{central}）：请先升级 frontdesk",
        "This desk's program (schema {desk}) is older than the central store ({central}): "
        "update frontdesk first",
    ),
    "sync.central_schema_older": (
        "中心库数据结构（{central}）低于本机（{desk}）：请总部运行 frontdesk central init 升级",
        "The central store (schema {central}) is older than this desk ({desk}): HQ must run "
        "`frontdesk central init` to upgrade it",
    ),
    "sync.desk_busy": (
        "另一个程序正在写入前台数据库：同步稍后再试",
        "Another program is writing to the desk database: sync will try again",
    ),
    "sync.diverged": (
        "本机数据库与中心库记录不一致（序号 {seq}）：可能是复制的数据库，已停止同步，请联系总部",
        "This desk database does not match the central record at entry {seq}: possibly a "
        "copied database; sync stopped, contact HQ",
    ),
    "sync.desk_behind": (
        "本机数据库落后于中心库（本机 {desk}，中心 {central}）：可能是从旧备份恢复的，"
        "已停止同步，请用 frontdesk restore 重建",
        "This desk database is behind the central store (desk {desk}, central {central}): "
        "probably restored from an old backup; sync stopped, rebuild it with "
        "`frontdesk restore`",
    ),
    "sync.central_behind": (
        "中心库落后于本机（本机 {desk}，中心 {central}）：中心库可能被还原，已停止同步，请联系总部",
        "The central store is behind this desk (desk {desk}, central {central}): it may "
        "have been restored; sync stopped, contact HQ",
    ),
    "sync.raced": (
        "另一同步正在进行，稍后自动重试",
        "Another sync is running; will try again shortly",
    ),
    "sync.offline": ("无法连接中心库：{reason}", "Central store unreachable: {reason}"),
    "sync.refused": ("中心库拒绝了同步：{reason}", "The central store refused the sync: {reason}"),
    "sync.no_central": (
        "未配置中心库：请用 --central 或配置项 central_url 指定",
        "No central store configured: give --central or set central_url in the config",
    ),
    "central.is_a_desk": (
        "这是一个前台数据库，不能用作中心库",
        "This is a desk database; it cannot be used as the central store",
    ),
    "central.site_exists": ("站点 {site} 已登记", "Site {site} is registered already"),
    "restore.exists": (
        "{path} 已存在：恢复只写入新文件",
        "{path} exists: a restore writes only to a new file",
    ),
    "restore.missing_parent": (
        "中心库中本站点的数据不完整：{table} 表有 {count} 行引用的 {parent} 记录不存在；"
        "未写入任何文件，请总部核查中心库后重试",
        "The central store's copy of this site is incomplete: {count} row(s) of {table} refer "
        "to a {parent} row that is not there; nothing was written. Head office should check "
        "the central store, then try again",
    ),
    # --- command line ------------------------------------------------------------------
    "cli.central_help": ("中心库管理（总部）", "Central store administration (HQ)"),
    "cli.central_init_help": ("创建或升级中心库", "Create or upgrade the central store"),
    "cli.central_add_site_help": ("登记一个站点", "Register a site"),
    "cli.opt_central": (
        "中心库：SQLite 文件路径或 PostgreSQL URL",
        "Central store: a SQLite file path or a PostgreSQL URL",
    ),
    "cli.sync_help": ("与中心库同步一次", "Sync with the central store once"),
    "cli.restore_help": (
        "从中心库重建前台数据库",
        "Rebuild a desk database from the central store",
    ),
    "cli.central_ready": ("中心库已就绪：{url}", "Central store ready: {url}"),
    "cli.central_upgraded": (
        "中心库已升级，原文件已备份到 {path}",
        "Central store upgraded; the old file was backed up to {path}",
    ),
    "cli.site_added": ("已登记站点 {site}", "Site {site} registered"),
    "cli.site_url": (
        "该站点的中心库连接（配置为 central_url）：{url}",
        "The site's central connection (set it as central_url): {url}",
    ),
    "cli.sync_done": (
        "推送 {sent} 条（写入 {applied}，已存在 {unchanged}，隔离 {quarantined}），"
        "拉取 {pulled} 条，待同步 {pending} 条",
        "Pushed {sent} rows ({applied} written, {unchanged} already there, "
        "{quarantined} quarantined), pulled {pulled}, {pending} pending",
    ),
    "cli.sync_recovered": (
        "上次同步中断：{count} 条已在中心库，不再重复发送",
        "The last sync was cut off: {count} entries were central already and not sent again",
    ),
    "cli.sync_rejects": (
        "中心库隔离了本站 {count} 条记录，请在同步页面查看",
        "The central store holds {count} rows of this site in quarantine: see the sync screen",
    ),
    "cli.sync_clock": (
        "本机时钟与中心相差 {seconds} 秒，请校准时间",
        "This PC's clock is {seconds} s off the central clock: set the time",
    ),
    "cli.restore_done": (
        "已从中心库恢复 {rows} 条记录到 {path}（{seconds:.1f} 秒）",
        "Restored {rows} rows from the central store to {path} ({seconds:.1f} s)",
    ),
    # --- status bar and sync screen ----------------------------------------------------
    "sync.state_online": ("在线", "online"),
    "sync.state_offline": ("离线", "offline"),
    "sync.state_never": ("未同步", "never synced"),
    "sync.pending": ("待 {count}", "{count} pending"),
    "sync.failed": ("隔离 {count}", "{count} failed"),
    "sync.last_at": ("上次 {time}", "last {time}"),
    "sync.running": ("同步中…", "syncing…"),
    "sync.title": ("数据同步", "Sync"),
    "sync.central": ("中心库：{url}", "Central store: {url}"),
    "sync.last_success": ("上次成功同步：{time}", "Last successful sync: {time}"),
    "sync.last_error": ("最近错误：{message}", "Last error: {message}"),
    "sync.no_error": ("最近没有错误", "No recent errors"),
    "sync.pending_line": ("待同步的变更：{count} 条", "Changes waiting to be sent: {count}"),
    "sync.clock_warning": (
        "本机时钟与中心相差 {seconds} 秒",
        "This PC's clock is {seconds} s off the central clock",
    ),
    "sync.rejects_title": ("被中心库隔离的记录", "Rows the central store quarantined"),
    "sync.no_rejects": ("没有被隔离的记录", "No quarantined rows"),
    "sync.col_seq": ("序号", "Seq"),
    "sync.col_table": ("表", "Table"),
    "sync.col_row": ("记录", "Row"),
    "sync.col_version": ("版本", "Version"),
    "sync.col_reason": ("原因", "Reason"),
    "sync.started": ("正在同步…", "Syncing…"),
    "key.sync": ("同步", "Sync"),
    "palette.sync": ("查看同步状态与被隔离的记录", "Sync state and quarantined rows"),
    "key.sync_now": ("立即同步", "Sync now"),
    "key.resend": ("重新发送", "Send again"),
    "sync.resent": (
        "已排队重新发送 {table} 的记录 {row}，下次同步时发送",
        "Row {row} of {table} queued to go again with the next sync",
    ),
    "sync.resend_none": ("请先选中一条被隔离的记录", "Highlight a quarantined row first"),
    "sync.resend_unknown": ("不是同步的表：{table}", "Not a synced table: {table}"),
    "sync.resend_missing": (
        "本机没有记录 {row}，无法重新发送",
        "Row {row} is not in this desk's database: nothing to send",
    ),
}
