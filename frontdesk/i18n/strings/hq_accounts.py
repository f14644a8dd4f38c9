"""Head office's accounts and sign-in: key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "hq_account.signin_title": ("街道总部登录", "Head office sign-in"),
    "hq_account.name": ("姓名", "Name"),
    "hq_account.name_placeholder": ("总部账号的姓名", "The name of your head-office account"),
    "hq_account.name_first": ("请先输入姓名", "Type your name first"),
    "hq_account.signin_note": (
        "账号由 frontdesk central init / add-hq-staff 创建",
        "Accounts are made by frontdesk central init / add-hq-staff",
    ),
    "hq_account.lock_title": ("街道总部已锁定", "Head office locked"),
    "hq_account.palette_lock": ("锁定总部界面", "Lock head office's screens"),
    "hq_account.palette_sign_out": ("注销当前账号", "Sign the current account out"),
    "hq_account.unknown": (
        "没有这个总部账号，或已停用",
        "No such head-office account, or it is switched off",
    ),
    "hq_account.bad_name": ("姓名须为 1 至 40 个字", "A name is 1 to 40 characters"),
    "hq_account.name_taken": ("已有名为{name}的总部账号", "A head-office account {name} exists"),
    "hq_account.sign_in_first": (
        "请先登录街道总部账号",
        "Sign in with a head-office account first",
    ),
    "hq_account.needs_viewer": (
        "{name}的账号不能查看此内容",
        "{name}'s account may not see this",
    ),
    "hq_account.needs_editor": (
        "{name}的账号为只读，不能修改基础数据（需要编辑员或密钥保管员角色）",
        "{name}'s account may only read: changing reference data needs an editor or a key holder",
    ),
    "hq_account.needs_keyholder": (
        "此操作需要密钥保管员角色，{name}的账号没有",
        "This needs a key holder: {name}'s account is not one",
    ),
    "hq_account.last_key_holder": (
        "{name} 是最后一位启用的密钥保管员，不能停用或降级：请先给另一位账号密钥保管员的角色",
        "{name} is the last active key holder and cannot be switched off or demoted: make "
        "another account a key holder first",
    ),
    "hq_account.nothing_changed": (
        "{name} 的账号没有要改的：请给出 --disable、--enable、--role 或 --new-pin",
        "Nothing to change for {name}: give --disable, --enable, --role or --new-pin",
    ),
    "cli.central_edit_hq_staff_help": (
        "停用或启用总部账号、改角色或重设 PIN（下次操作即生效）",
        "switch a head-office account off or on, change its role or reset its PIN "
        "(in force at its next act)",
    ),
    "cli.opt_hq_disable": ("停用该账号", "switch the account off"),
    "cli.opt_hq_enable": ("重新启用该账号", "switch the account on again"),
    "cli.opt_hq_new_pin": (
        "设新 PIN（不带值时从终端读取两次）",
        "set a new PIN (read twice from the terminal if no value)",
    ),
    "cli.hq_staff_changed": (
        "已修改总部账号 {name}：{role}，{state}",
        "Head-office account {name} changed: {role}, {state}",
    ),
    "cli.hq_staff_active": ("启用", "active"),
    "cli.hq_staff_inactive": ("已停用", "switched off"),
    "hq_account.role_viewer": ("只读", "viewer"),
    "hq_account.role_editor": ("编辑员", "reference-data editor"),
    "hq_account.role_keyholder": ("密钥保管员", "key holder"),
    "cli.central_add_hq_staff_help": (
        "添加街道总部账号（登录 frontdesk hq 用）",
        "add a head-office account (to sign in to frontdesk hq)",
    ),
    "cli.opt_hq_name": ("街道总部账号的姓名", "name of a head-office account"),
    "cli.opt_hq_role": (
        "角色：viewer（只读）、editor（编辑基础数据）、keyholder（密钥保管员）",
        "role: viewer, editor (reference data) or keyholder (key holder)",
    ),
    "cli.opt_hq_pin": (
        "该账号的 PIN（6 至 12 位数字；不给时读 FRONTDESK_PIN 或在终端输入）",
        "the account's PIN (6 to 12 digits; left out: FRONTDESK_PIN, or typed at a terminal)",
    ),
    "cli.hq_staff_added": (
        "已添加街道总部账号：{name}（{role}）",
        "Head-office account added: {name} ({role})",
    ),
    "cli.hq_staff_none": (
        "还没有街道总部账号：用 --hq-name 创建第一个，否则无法登录 frontdesk hq",
        "No head-office account yet: make the first with --hq-name, or nobody can sign in "
        "to frontdesk hq",
    ),
}
