"""PINs kept at the desk and head office's one-time codes: key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- rules and refusals (frontdesk/domain/pin_rules.py, services/auth.py) -------------------
    "pin.new_format": (
        "新 PIN 码须为 {least} 至 {most} 位数字",
        "A new PIN is {least} to {most} digits",
    ),
    "pin.code_waiting": (
        "总部已重置 {name} 的 PIN：请先在登录界面用一次性码登录并设置新 PIN",
        "Head office has reset the PIN of {name}: sign in with the one-time code and "
        "choose a new PIN first",
    ),
    "pin.code_expected": (
        "总部已重置 {name} 的 PIN，原 PIN 已失效：请输入总部告知的 16 位一次性码",
        "Head office has reset the PIN of {name} and the old one no longer works: type the "
        "16-digit one-time code head office gave you",
    ),
    "pin.none_here": (
        "{name} 在本前台还没有 PIN：请总部发一次性码（总部员工账号中按 P）",
        "{name} has no PIN at this desk: ask head office for a one-time code (P on its staff list)",
    ),
    "pin.code_used": (
        "这个一次性码已经用过：请总部重新发码",
        "This one-time code has been used: ask head office for a new one",
    ),
    # --- sign-in: the note under the PIN for the highlighted name ---------------------------
    "pins.signin_code": (
        "{name}：总部已重置 PIN，请在上面输入总部告知的 16 位一次性码",
        "{name}: head office reset the PIN; type the 16-digit one-time code it gave you above",
    ),
    "pins.signin_none": (
        "{name} 在本前台还没有 PIN：请总部发一次性码",
        "{name} has no PIN at this desk yet: ask head office for a one-time code",
    ),
    # --- choosing a new PIN after the code ---------------------------------------------------
    "key.choose_pin": ("保存并登录", "Save and sign in"),
    "pins.new_title": ("设置新 PIN：{name}", "Choose a new PIN: {name}"),
    "pins.new_body": (
        "请设置新 PIN：只保存在本前台，保存后一次性码作废。",
        "Choose a new PIN: it is kept at this desk only, and the code stops working once "
        "it is saved.",
    ),
    "pins.code_label": ("一次性码", "One-time code"),
    "pins.new_pin": ("新 PIN", "New PIN"),
    "pins.new_pin_again": ("再输一次", "New PIN again"),
    "pins.new_pin_hint": ("6 至 12 位数字", "6 to 12 digits"),
    "pins.new_pin_done": ("{name} 的新 PIN 已设置", "New PIN set for {name}"),
    # --- first-run setup -----------------------------------------------------------------
    "pins.setup_pin_hint": ("6 至 12 位数字，如 6 位", "6 to 12 digits; six will do"),
    # --- restore -------------------------------------------------------------------------
    "pins.restore_note": (
        "PIN 不会离开前台，恢复的数据库中没有 PIN：请总部为每位员工发一次性码（总部员工账号中按 P）",
        "PINs never leave a desk, so the rebuilt one has none: head office gives each staff "
        "member a one-time code (P on its staff list)",
    ),
    # --- head office: new account, reset, the code shown once ---------------------------
    "pins.staff_form_note": (
        "PIN 由本人在前台设置：保存后显示一次性码，请电话告知本人",
        "The person chooses a PIN at the desk: saving shows a one-time code to pass on by phone",
    ),
    "key.hq_issue_code": ("生成一次性码", "Issue a code"),
    "pins.reset_body": (
        "将生成一次性码代替原 PIN。该社区前台下次同步后原 PIN 失效，本人用一次性码登录并设置新 PIN。",
        "A one-time code replaces the PIN. Once the desk has synced, the old PIN stops "
        "working there; the person signs in with the code and chooses a new PIN.",
    ),
    "pins.code_title": ("一次性码：{name}（{site}）", "One-time code: {name} ({site})"),
    "pins.code_once": (
        "请电话告知本人。此码只显示这一次，中心库只存其加盐哈希。",
        "Tell it to the person by phone. It is shown only this once; the central store "
        "keeps only a salted hash of it.",
    ),
    "pins.code_steps": (
        "在 {site} 前台：选择自己的姓名，把此码当作 PIN 输入，再设置 6 至 12 位数字的新 PIN。"
        "该前台下次同步后可用，只能用一次。",
        "At the {site} desk: choose your name, type this code as the PIN, then choose a new "
        "PIN of 6 to 12 digits. It works once the desk has synced, and only once.",
    ),
    "pins.code_issued": ("已为 {name} 生成一次性码", "One-time code issued for {name}"),
    "pins.code_waiting": ("待用一次性码", "code not used"),
}
