"""Every user-visible string goes through the catalogue, in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

from frontdesk.i18n import set_language, t
from frontdesk.i18n.strings import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("frontdesk", "screens", "db") for p in (ROOT / d).rglob("*.py")]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
DYNAMIC_KEY = re.compile(r"""\bt\(\s*f["']([a-z_]+\.)\{""")
ERROR_CODE = re.compile(r"""(?:UserError|ConfigError|StoreError)\(\s*["']([a-z_.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, (zh, en) in CATALOGUE.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        assert re.search(r"[\u4e00-\u9fff]", zh) or key.startswith(("key.", "signin.pin")), key


def test_every_key_used_in_the_code_exists() -> None:
    missing = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for key in LITERAL_KEY.findall(text):
            if key not in CATALOGUE:
                missing.append(f"{path.name}: {key}")
        for code in ERROR_CODE.findall(text):
            key = code if "." in code else f"store.{code}"
            if key not in CATALOGUE:
                missing.append(f"{path.name}: {key}")
    assert not missing


def test_dynamic_key_families_exist() -> None:
    prefixes = {p for path in SOURCES for p in DYNAMIC_KEY.findall(path.read_text("utf-8"))}
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in CATALOGUE), prefix
    from db.models.money import PAYMENT_METHODS
    from db.models.reference import ROLES

    for method in PAYMENT_METHODS:
        assert f"method.{method}" in CATALOGUE
    for role in ROLES:
        assert f"role.{role}" in CATALOGUE
    for day in range(7):
        assert f"weekday.{day}" in CATALOGUE


def test_every_shown_binding_has_a_name() -> None:
    from screens.common.help import HelpScreen
    from screens.common.lock import LockScreen
    from screens.desk.home import HomeScreen
    from screens.desk.setup import SetupScreen
    from screens.desk.signin import SignInScreen
    from screens.desk_app import FrontdeskApp

    for cls in (FrontdeskApp, HomeScreen, LockScreen, SignInScreen, SetupScreen, HelpScreen):
        for binding in cls.BINDINGS:
            if binding.show and not binding.system:
                assert binding.id and f"key.{binding.id}" in CATALOGUE, (cls.__name__, binding)


def test_switching_language() -> None:
    set_language("en")
    assert t("key.help") == "Help"
    set_language("zh")
    assert t("key.help") == "帮助"
    wrong = "PIN 码错误（计入李文员的账号），还可再试 2 次"
    assert t("signin.wrong_pin", name="李文员", left=2) == wrong
