"""Where a file saved from the TUI goes: the user's documents folder, under a suggested name.

A desk started from a desktop icon has no working folder a clerk knows of, so a bare name or
a relative path is taken inside the documents folder, and the message after saving gives
the full path. The file box offers a bare name (short enough to read and to change at 80
columns). FRONTDESK_DOCUMENTS_DIR names another folder (tests, shared desks).
"""

from __future__ import annotations

import os
from pathlib import Path

DOCUMENTS_ENV = "FRONTDESK_DOCUMENTS_DIR"


def typed_path(text: str) -> Path | None:
    """A path as typed or pasted; Windows "Copy as path" wraps it in quotes."""
    text = text.strip().strip('"').strip("'").strip()
    return Path(text).expanduser() if text else None


def documents_dir() -> Path:
    """The user's documents folder (platformdirs), or the home folder where it is missing."""
    explicit = os.environ.get(DOCUMENTS_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    found = platformdirs.user_documents_path()
    return found if found.is_dir() else Path.home()


def suggested_name(name: str) -> str:
    """`name`, or name-2, name-3 … where the documents folder has it already (files are
    never overwritten, so the suggestion must be free)."""
    folder = documents_dir()
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def save_target(typed: str) -> Path | None:
    """The file as typed or pasted, made absolute in the documents folder; None when empty."""
    path = typed_path(typed)
    if path is None:
        return None
    return path if path.is_absolute() else documents_dir() / path


def safe_name(text: str) -> str:
    """`text` fit for a file name on every system: no separators or reserved characters."""
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip()
