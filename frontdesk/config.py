"""Settings from a TOML file in the platform config directory, then environment, then flags."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import platformdirs

from db.errors import Refusal
from frontdesk.domain.money import METHODS, ceiling_of
from frontdesk.domain.reconcile import BillRules
from frontdesk.printing.setup import PrinterSetup, printer_setup

APP = "frontdesk"
ENV_PREFIX = "FRONTDESK_"


class ConfigError(Refusal):
    """A setting that cannot be used; `key` names it and `code` the reason (catalogue key)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, None, **params)  # `key` names the setting, not a form field


@dataclass(frozen=True)
class Config:
    db: Path
    site: str = ""
    lang: str = "zh"
    central_url: str = ""
    sync_interval_s: int = 60
    idle_lock_minutes: int = 5
    amount_ceiling_yuan: int = 20000  # larger amounts are refused as typing slips
    bill_window_minutes: int = 10  # a desk entry and its bill line at most this far apart
    printer: PrinterSetup = field(default_factory=PrinterSetup)  # the [printer] table
    # [bill_accounts]: per method, the merchant numbers / account names of the desk's bills
    bill_accounts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    source: Path | None = None  # the config file read, if any

    @property
    def amount_ceiling_fen(self) -> int:
        return ceiling_of(self.amount_ceiling_yuan)

    @property
    def bill_window(self) -> timedelta:
        return timedelta(minutes=self.bill_window_minutes)

    @property
    def bill_rules(self) -> BillRules:
        return BillRules(self.bill_window, self.bill_accounts)


def config_path(env: Mapping[str, str] = os.environ) -> Path:
    explicit = env.get(ENV_PREFIX + "CONFIG")
    if explicit:
        return Path(explicit)
    return platformdirs.user_config_path(APP, appauthor=False) / "config.toml"


def default_db(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get(ENV_PREFIX + "DATA_DIR")
    root = Path(base) if base else platformdirs.user_data_path(APP, appauthor=False)
    return root / "desk.sqlite3"


def load(flags: Mapping[str, object] | None = None, env: Mapping[str, str] = os.environ) -> Config:
    """File < environment < flags. Unknown keys and bad values raise ConfigError."""
    path = config_path(env)
    values: dict[str, object] = {}
    source = None
    if path.is_file():
        values.update(_read_file(path))
        source = path
    table = values.pop("printer", None)
    accounts = _bill_accounts(values.pop("bill_accounts", {}), path)
    for f in fields(Config):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw not in (None, "") and f.name not in ("source", "printer", "bill_accounts"):
            values[f.name] = raw
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = value
    printer = _printer(table, env, path)
    cfg = Config(db=default_db(env), source=source, printer=printer, bill_accounts=accounts)
    return _coerce(cfg, values, path)


def _bill_accounts(table: object, path: Path) -> dict[str, frozenset[str]]:
    """`[bill_accounts]` wechat = "1900012345" or a list of them, per payment method."""
    if not isinstance(table, dict):
        raise ConfigError(
            "config.bad_file", path=str(path), reason="[bill_accounts] must be a table"
        )
    out: dict[str, frozenset[str]] = {}
    for method, value in table.items():
        names = [value] if isinstance(value, str) else value
        if method not in METHODS or not isinstance(names, list):
            raise ConfigError("config.bad_file", path=str(path), reason=f"[bill_accounts] {method}")
        out[method] = frozenset(str(name).strip() for name in names if str(name).strip())
    return out


def _printer(table: object, env: Mapping[str, str], path: Path) -> PrinterSetup:
    if table is not None and not isinstance(table, dict):
        raise ConfigError("config.bad_file", path=str(path), reason="[printer] must be a table")
    return printer_setup(table, env.get(ENV_PREFIX + "PRINTER"))


def _read_file(path: Path) -> dict[str, object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config.bad_file", path=str(path), reason=str(exc)) from exc
    known = {f.name for f in fields(Config)} - {"source"}
    for key in data:
        if key not in known:
            raise ConfigError("config.unknown_key", path=str(path), key=key)
    return data


def _coerce(cfg: Config, values: dict[str, object], path: Path) -> Config:
    out: dict[str, Any] = {}  # each value of its field's type in Config
    for key, value in values.items():
        if key == "db":
            out[key] = Path(str(value)).expanduser()
        elif key in (
            "sync_interval_s",
            "idle_lock_minutes",
            "amount_ceiling_yuan",
            "bill_window_minutes",
        ):
            out[key] = _positive_int(key, value, path)
        elif key == "lang":
            if value not in ("zh", "en"):
                raise ConfigError("config.bad_lang", key=key, value=value)
            out[key] = value
        else:
            out[key] = str(value).strip()
    return replace(cfg, **out)


def _positive_int(key: str, value: object, path: Path) -> int:
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigError("config.bad_number", key=key, value=value, path=str(path))
    return number
