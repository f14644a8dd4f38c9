"""What importing each named module loads, each in a fresh process forked from one that has
already loaded the third-party libraries the data layers use.

Run as a script: `python tests/layer_probe.py MODULE ...` prints one JSON object, module ->
the sorted names in sys.modules after importing it; `--together MODULE ...` imports them all
in this one interpreter and prints the sorted names in sys.modules after. Forking saves
importing those libraries again per module (most of the cost: SQLAlchemy, cryptography,
openpyxl, pypinyin ...) and keeps the proof: the preloaded libraries load none of textual,
screens, frontdesk or db, so any of them found after an import came from the module imported.

Which libraries: one fork imports all the named modules and reports every module it found
loaded outside the project and textual; the parent imports those (a library a module imports
lazily, in a function, is not among them and costs its forks as before).
"""

from __future__ import annotations

import importlib
import json
import os
import sys

PRELOADED = ("sqlalchemy", "sqlalchemy.orm", "sqlmodel", "pydantic")
PROJECT = {"textual", "screens", "frontdesk", "db", "tests"}


def probe(*modules: str) -> list[str]:
    """The names in sys.modules of a fork after importing `modules`."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, say what is loaded, leave without clean-up
        os.close(read)
        status = 0
        try:
            for module in modules:
                importlib.import_module(module)
            payload = json.dumps(sorted(sys.modules)).encode()
        except BaseException as exc:  # reported to the parent, which fails the test
            payload = json.dumps({"error": repr(exc)}).encode()
            status = 1
        with os.fdopen(write, "wb") as out:
            out.write(payload)
        os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as got:
        data = json.loads(got.read())
    os.waitpid(pid, 0)
    if isinstance(data, dict):
        raise ImportError(f"{', '.join(modules)}: {data['error']}")
    return data


def libraries_of(modules: list[str]) -> list[str]:
    """The modules outside the project (and textual) that importing `modules` loads."""
    return [m for m in probe(*modules) if m.split(".")[0] not in PROJECT]


def preload(names: list[str] | tuple[str, ...]) -> None:
    for name in names:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except ImportError:  # an alias a library put in sys.modules (six.moves ...)
                continue


def main(modules: list[str]) -> None:
    preload(PRELOADED)
    preload(libraries_of(modules))
    before = {m.split(".")[0] for m in sys.modules}
    assert not before & PROJECT, before & PROJECT
    print(json.dumps({module: probe(module) for module in modules}))


def together(modules: list[str]) -> list[str]:
    for module in modules:
        importlib.import_module(module)
    return sorted(sys.modules)


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    if sys.argv[1:2] == ["--together"]:
        print(json.dumps(together(sys.argv[2:])))
    else:
        main(sys.argv[1:])
