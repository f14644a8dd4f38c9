"""What importing each named module loads, each in a fresh process forked from one that has
already loaded the third-party libraries the data layers use (SQLAlchemy, SQLModel, pydantic).

Run as a script: `python tests/layer_probe.py MODULE ...` prints one JSON object, module ->
the sorted names in sys.modules after importing it. Forking saves importing those libraries
again per module (most of the cost of a fresh interpreter) and keeps the proof: the preloaded
libraries load none of textual, screens or frontdesk, so any of them found after an import
came from the module imported.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

PRELOADED = ("sqlalchemy", "sqlalchemy.orm", "sqlmodel", "pydantic")


def probe(module: str) -> list[str]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, say what is loaded, leave without clean-up
        os.close(read)
        status = 0
        try:
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
        raise ImportError(f"{module}: {data['error']}")
    return data


def main(modules: list[str]) -> None:
    for name in PRELOADED:
        importlib.import_module(name)
    before = {m.split(".")[0] for m in sys.modules}
    assert not before & {"textual", "screens", "frontdesk", "db"}, before
    print(json.dumps({module: probe(module) for module in modules}))


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main(sys.argv[1:])
