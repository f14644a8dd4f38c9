"""Settings: file < environment < flags; bad values are named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.config import ConfigError, config_path, load
from frontdesk.errors import describe
from frontdesk.i18n import set_language


def write_config(text: str) -> Path:
    path = config_path()
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_use_platform_dirs(tmp_path: Path) -> None:
    cfg = load()
    assert cfg.db == tmp_path / "data" / "desk.sqlite3"
    assert (cfg.lang, cfg.sync_interval_s, cfg.idle_lock_minutes) == ("zh", 60, 5)
    assert cfg.source is None


def test_file_then_env_then_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_config(
        'db = "/srv/a.sqlite3"\nsite = "HS01"\nlang = "en"\ncentral_url = "postgresql://hq/fd"\n'
        "sync_interval_s = 30\nidle_lock_minutes = 3\n"
    )
    cfg = load()
    assert cfg.source == path and cfg.db == Path("/srv/a.sqlite3") and cfg.lang == "en"
    assert (cfg.site, cfg.central_url, cfg.sync_interval_s, cfg.idle_lock_minutes) == (
        "HS01",
        "postgresql://hq/fd",
        30,
        3,
    )
    monkeypatch.setenv("FRONTDESK_IDLE_LOCK_MINUTES", "9")
    monkeypatch.setenv("FRONTDESK_DB", "/srv/b.sqlite3")
    cfg = load()
    assert cfg.idle_lock_minutes == 9 and cfg.db == Path("/srv/b.sqlite3")
    cfg = load({"db": tmp_path / "c.sqlite3", "lang": None})
    assert cfg.db == tmp_path / "c.sqlite3" and cfg.lang == "en"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("idle_lock_minutes = 0\n", "config.bad_number"),
        ('sync_interval_s = "soon"\n', "config.bad_number"),
        ('lang = "fr"\n', "config.bad_lang"),
        ('colour = "red"\n', "config.unknown_key"),
        ("db = \n", "config.bad_file"),
        ('bill_accounts = "1900012345"\n', "config.bad_file"),
        ('[bill_accounts]\npaypal = "x"\n', "config.bad_file"),
        ("[bill_accounts]\nwechat = 1900012345\n", "config.bad_file"),
    ],
)
def test_bad_values_are_named(text: str, code: str) -> None:
    write_config(text)
    with pytest.raises(ConfigError) as err:
        load()
    assert err.value.code == code
    set_language("en")
    assert describe(err.value)  # has words in both languages
    set_language("zh")
    assert describe(err.value) != code


def test_amount_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load().amount_ceiling_yuan == 20000
    monkeypatch.setenv("FRONTDESK_AMOUNT_CEILING_YUAN", "500")
    assert load().amount_ceiling_yuan == 500
    write_config("amount_ceiling_yuan = 0\n")
    monkeypatch.delenv("FRONTDESK_AMOUNT_CEILING_YUAN")
    with pytest.raises(ConfigError):
        load()


def test_the_desks_bill_accounts_per_method() -> None:
    """One account or a list of them; the close-out's bill rules carry them (issue 19: 7)."""
    assert load().bill_rules.accounts == {}
    write_config(
        'bill_window_minutes = 5\n[bill_accounts]\nwechat = "1900012345"\n'
        'alipay = ["20881234567890120156", " 138****5678 "]\n'
    )
    rules = load().bill_rules
    assert rules.window.total_seconds() == 300
    assert rules.accounts == {
        "wechat": {"1900012345"},
        "alipay": {"20881234567890120156", "138****5678"},
    }
