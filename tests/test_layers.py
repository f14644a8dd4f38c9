"""Layer rules of DESIGN.md, checked in fresh interpreters so nothing else is loaded."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIGHT_DB = {"db.errors", "db.vocabulary", "db.schema"}  # modules of db that import nothing at all


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


DB_LAYER = modules_of("db")
SERVICE_LAYERS = (
    modules_of("frontdesk.services") + modules_of("frontdesk.sync") + modules_of("frontdesk.hq")
)
_probed: dict[str, set[str]] = {}
_together: dict[tuple[str, ...], set[str]] = {}


def _probe(*args: str) -> str:
    return subprocess.run(
        [sys.executable, str(ROOT / "tests" / "layer_probe.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def loaded_alone(module: str, layer: list[str]) -> set[str]:
    """As `loaded_after_import`, for the modules of a layer, all probed at once in forks of
    one process that has their libraries loaded already (tests/layer_probe.py)."""
    if module not in _probed:
        _probed.update({name: set(mods) for name, mods in json.loads(_probe(*layer)).items()})
    return _probed[module]


def loaded_by_layer(module: str, layer: list[str], forbidden: set[str]) -> set[str]:
    """What importing `module` loads, or a superset that proves as much: all of its layer
    imported together in one fresh interpreter. What they load together is everything each
    loads alone, so when that holds none of `forbidden` no module of the layer loads one.
    When it holds one, each module is probed alone, so the failure names the module."""
    key = tuple(layer)
    if key not in _together:
        _together[key] = set(json.loads(_probe("--together", *layer)))
    if top_levels(_together[key]) & forbidden:
        return loaded_alone(module, layer)
    return _together[key]


def top_levels(mods: set[str]) -> set[str]:
    return {m.split(".")[0] for m in mods}


@pytest.mark.parametrize("module", DB_LAYER)
def test_db_imports_no_ui_and_no_app(module: str) -> None:
    found = top_levels(loaded_by_layer(module, DB_LAYER, {"textual", "screens", "frontdesk"}))
    assert not found & {"textual", "screens", "frontdesk"}, module


@pytest.mark.parametrize("module", SERVICE_LAYERS)
def test_services_and_sync_never_import_textual(module: str) -> None:
    found = top_levels(loaded_by_layer(module, SERVICE_LAYERS, {"textual", "screens"}))
    assert not found & {"textual", "screens"}, module


def test_the_layer_check_names_the_module_that_breaks_a_rule() -> None:
    """A rule broken by one module shows in the union and sends the check to each module
    alone: here `frontdesk` counts as forbidden, which every service module loads."""
    layer = ["db.errors", "frontdesk.services.seekers"]
    assert "frontdesk" not in top_levels(loaded_by_layer("db.errors", layer, {"frontdesk"}))
    assert "frontdesk" in top_levels(loaded_by_layer(layer[1], layer, {"frontdesk"}))


def test_the_forked_probe_sees_what_a_fresh_interpreter_sees() -> None:
    """The shortcut proves the same: a module that loads textual is caught by it too."""
    probe_of = loaded_alone("frontdesk.services.seekers", ["frontdesk.services.seekers"])
    fresh = loaded_after_import("frontdesk.services.seekers")
    project = {"db", "frontdesk", "screens", "textual"}
    assert {m for m in probe_of if m.split(".")[0] in project} == {
        m for m in fresh if m.split(".")[0] in project
    }
    out = _probe("screens.desk.home")
    assert "textual" in top_levels(set(json.loads(out)["screens.desk.home"]))


# The shell and the first screens it can show (sign-in, or setup on a first run).
@pytest.mark.parametrize(
    "module", ["screens.desk_app", "screens.desk.signin", "screens.desk.setup"]
)
def test_app_shell_does_not_import_the_database_layer_before_first_paint(module: str) -> None:
    loaded = loaded_after_import(module)
    assert not top_levels(loaded) & {"sqlalchemy", "sqlmodel", "alembic", "pypinyin", "openpyxl"}
    # The refusals' base and the closed lists (no imports of their own) are all of db it may load.
    assert {m for m in loaded if m.startswith("db.")} <= LIGHT_DB


def test_the_sign_in_list_is_read_without_the_orm() -> None:
    loaded = loaded_after_import("frontdesk.sign_in_list")
    assert not top_levels(loaded) & {"sqlalchemy", "sqlmodel", "alembic", "textual"}
    assert {m for m in loaded if m.startswith("db.")} <= LIGHT_DB | {"db.peek"}


def test_cli_help_is_light() -> None:
    found = top_levels(loaded_after_import("frontdesk.cli"))
    assert not found & {"textual", "sqlalchemy", "sqlmodel", "alembic"}


# --- the static import graph: every import statement, top-level, local or for type checking --


def static_imports() -> dict[str, set[str]]:
    """module -> the project modules its source names in any import statement."""
    import ast

    sources: dict[str, Path] = {}
    for package in ("db", "frontdesk", "screens"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            sources[name] = path
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for name, path in sources.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    graph[name].add(target if target in sources else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names)
    return {name: {t for t in targets if t in sources} for name, targets in graph.items()}


GRAPH = static_imports()


def test_screens_never_import_the_database_layer() -> None:
    """Screens talk to services; not even a type or a constant comes from db."""
    reached = {(m, t) for m, targets in GRAPH.items() for t in targets}
    wrong = sorted((m, t) for m, t in reached if m.startswith("screens") and t.startswith("db"))
    assert wrong == []


def test_nothing_below_the_tui_imports_it() -> None:
    """Only the command line reaches the screens and Textual; no service, rule or store."""
    wrong = sorted(
        (m, t)
        for m, targets in GRAPH.items()
        for t in targets
        if t.startswith("screens") and not m.startswith(("screens", "frontdesk.cli"))
    )
    assert wrong == []


def test_no_import_circles() -> None:
    """Strongly connected groups of modules, by every import statement (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in GRAPH[node]:
                circles.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert circles == []


def test_the_circle_finder_finds_a_circle() -> None:
    """The check above is only worth something if it would see one."""
    saved = dict(GRAPH)
    try:
        GRAPH["db.text"] = GRAPH["db.text"] | {"db.errors"}
        GRAPH["db.errors"] = GRAPH["db.errors"] | {"db.text"}
        with pytest.raises(AssertionError):
            test_no_import_circles()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


@pytest.mark.parametrize("module", sorted(LIGHT_DB))
def test_the_light_db_modules_import_nothing(module: str) -> None:
    """What the shells may load of db before the first paint must stay free of imports."""
    import ast

    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    imports = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom) and getattr(n, "module", "") != "__future__"
    ]
    assert imports == []


def test_sync_modules_meet_through_public_functions_one_way() -> None:
    """push -> wire -> apply: no private name crosses a module, no arrow points back."""
    import ast

    private = []
    for path in (ROOT / "frontdesk" / "sync").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("frontdesk"):
                private += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []
    assert "frontdesk.sync.push" not in GRAPH["frontdesk.sync.wire"]
    assert not GRAPH["frontdesk.sync.apply"] & {"frontdesk.sync.wire", "frontdesk.sync.push"}
