"""The central store as a person sees it: never with its password."""

from __future__ import annotations

from pathlib import Path


def shown_url(url: str) -> str:
    """The central URL without its password."""
    if "://" not in url:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def store_label(url: str) -> str:
    """The central store on head office's status bar: a SQLite file by name, a URL without
    its password."""
    return Path(url).name if "://" not in url else shown_url(url)
