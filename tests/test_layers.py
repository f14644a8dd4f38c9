"""Layer rules of DESIGN.md, checked in fresh interpreters so nothing else is loaded."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def modules_of(package: str) -> list[str]:
    base = ROOT / package.replace(".", "/")
    names = [package]
    for info in pkgutil.walk_packages([str(base)], prefix=package + "."):
        if ".migrations.versions" in info.name or info.name.endswith("migrations.env"):
            continue  # run only by Alembic
        names.append(info.name)
    return names


def loaded_after_import(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


def top_levels(mods: set[str]) -> set[str]:
    return {m.split(".")[0] for m in mods}


@pytest.mark.parametrize("module", modules_of("db"))
def test_db_imports_no_ui_and_no_app(module: str) -> None:
    found = top_levels(loaded_after_import(module))
    assert not found & {"textual", "screens", "frontdesk"}, module


@pytest.mark.parametrize(
    "module",
    modules_of("frontdesk.services") + modules_of("frontdesk.sync") + modules_of("frontdesk.hq"),
)
def test_services_and_sync_never_import_textual(module: str) -> None:
    assert not top_levels(loaded_after_import(module)) & {"textual", "screens"}, module


# The shell and the first screens it can show (sign-in, or setup on a first run).
@pytest.mark.parametrize(
    "module", ["screens.desk_app", "screens.desk.signin", "screens.desk.setup"]
)
def test_app_shell_does_not_import_the_database_layer_before_first_paint(module: str) -> None:
    found = top_levels(loaded_after_import(module))
    assert not found & {"sqlalchemy", "sqlmodel", "alembic", "db", "pypinyin", "openpyxl"}


def test_cli_help_is_light() -> None:
    found = top_levels(loaded_after_import("frontdesk.cli"))
    assert not found & {"textual", "sqlalchemy", "sqlmodel", "alembic"}
