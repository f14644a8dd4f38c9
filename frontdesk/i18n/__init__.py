"""One translation catalogue for every user-visible string (zh_CN by default, English on request).

Look-ups go through `t(key, **params)`; tests/test_i18n.py fails when a key used in the code
is missing or lacks either language.
"""

from __future__ import annotations

from frontdesk.i18n.strings import CATALOGUE

LANGUAGES = ("zh", "en")
_current = "zh"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def language() -> str:
    return _current


def t(key: str, /, **params: object) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        # A missing key is a bug the catalogue test catches; show the key rather than crash.
        return key
    text = entry[0] if _current == "zh" else entry[1]
    return text.format(**params) if params else text
