"""The district's key at head office (frontdesk/hq/district_keys.py): key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "cli.central_key_help": (
        "街道密钥：创建、备份、从备份恢复、轮换",
        "The district's key: create, back up, restore a backup, rotate",
    ),
    "cli.central_key_create_help": (
        "创建街道密钥对，并把中心库里的明文证件号和电话加密",
        "Make the district's key pair and seal the central store's plain ID numbers and phones",
    ),
    "cli.central_key_backup_help": (
        "把街道私钥用口令加密写入文件",
        "Write the district's private key to a file, encrypted with a passphrase",
    ),
    "cli.central_key_restore_backup_help": (
        "从备份文件把街道私钥交给一位密钥保管员",
        "Give a key holder the district's private key from a backup file",
    ),
    "cli.central_key_rotate_help": (
        "换新的街道密钥对，中心库的数据改用新密钥加密",
        "Make a new district key pair and seal the central store's values to it",
    ),
    "cli.opt_key_file": ("备份文件路径", "path of the backup file"),
    "cli.opt_passphrase": (
        "备份口令（至少 12 个字符；不给时读 FRONTDESK_PASSPHRASE 或在终端输入）",
        "the backup's passphrase (12 characters or more; left out: FRONTDESK_PASSPHRASE, or "
        "typed at a terminal)",
    ),
    "cli.opt_restore_hq_name": (
        "在场的密钥保管员姓名：用街道密钥找回已加密的证件号和电话（PostgreSQL 上请用中心库所有者的 URL）",
        "name of a key holder present: the district's key unseals the people's numbers (on "
        "PostgreSQL give the store owner's URL)",
    ),
    "cli.passphrase_prompt": ("备份口令：", "Backup passphrase: "),
    "cli.district_key_created": (
        "街道密钥已创建，私钥只存放在该密钥保管员的密钥槽中；请立即用 central key backup 备份",
        "The district's key is made, its private half only in the key holder's slot; back it "
        "up now with central key backup",
    ),
    "cli.district_key_pending": (
        "街道密钥已创建；私钥在第一位密钥保管员登录前未加保护，请尽快登录并备份",
        "The district's key is made; its private half is unprotected until the first key "
        "holder signs in: sign in and back it up soon",
    ),
    "cli.district_key_backed_up": (
        "街道私钥已加密写入 {path}",
        "The district's private key is written, encrypted, to {path}",
    ),
    "cli.district_key_restored": (
        "{name} 已从备份取得街道私钥",
        "{name} holds the district's key from the backup",
    ),
    "cli.district_key_rotated": (
        "新的街道密钥已启用；各前台下次同步时改用新密钥。旧备份只能打开轮换前加密的数据",
        "The new district key is in use; desks take it at their next sync. Old backups open "
        "only what was sealed before the rotation",
    ),
    "district_key.exists": (
        "街道密钥已存在（要换新密钥请用 central key rotate）",
        "The district's key exists already (central key rotate makes a new one)",
    ),
    "district_key.not_yours": (
        "{name} 还没有街道密钥：请另一位持有密钥的保管员先登录一次",
        "{name} has no district key yet: another key holder who has it must sign in first",
    ),
    "district_key.owner_url": (
        "用密钥保管员恢复时请给出中心库所有者的 URL（站点账号读不到街道密钥）",
        "A restore with a key holder needs the central store owner's URL (a site's login "
        "cannot read the district's key)",
    ),
    "district_key.no_person": ("中心库没有这个人", "No such person at the central store"),
    "district_key.desk_only": (
        "这个人的号码只加密给了前台，街道密钥打不开（前台在知道街道密钥前推送的）",
        "This person's numbers are sealed to the desk only (pushed before the desk knew the "
        "district's key): the district's key cannot open them",
    ),
    "district_key.short_passphrase": (
        "备份口令至少 {n} 个字符",
        "A backup passphrase has {n} characters or more",
    ),
    "district_key.passphrase_missing": (
        "请给出备份口令（--passphrase 或 FRONTDESK_PASSPHRASE）",
        "Give the backup's passphrase (--passphrase or FRONTDESK_PASSPHRASE)",
    ),
    "district_key.bad_backup": (
        "备份文件无法打开：口令不对，或不是街道密钥备份",
        "The backup cannot be opened: a wrong passphrase, or not a district key backup",
    ),
    "district_key.backup_other": (
        "这个备份不是本中心库当前的街道密钥",
        "This backup is not this central store's current district key",
    ),
}
