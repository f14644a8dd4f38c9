"""What every form shares: one normalisation of typed text, and all of a form's errors at once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from frontdesk.errors import UserError


def nfkc(raw: object) -> str:
    """Typed text as the rules read it: full-width digits and letters folded, ends trimmed."""
    return unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()


# Between the items of a list typed in one field or cell (skills, desired jobs): ; ； 、 , ，
# and /, after NFKC (full-width forms are folded first).
ITEM_SEPARATORS = re.compile(r"[;；、,，/]")


def split_items(raw: object) -> list[str]:
    """The items of a typed list, trimmed, empty ones dropped: '包装；电商/普工' has three."""
    return [item.strip() for item in ITEM_SEPARATORS.split(nfkc(raw)) if item.strip()]


class FormErrors(UserError):
    """Every field error of a form at once, so each shows at its own field."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__(errors[0].code, field=errors[0].field, **errors[0].params)
        self.errors = errors


class Collector:
    """Runs a form's field rules, keeping each refusal instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[UserError] = []

    def check(self, rule: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The rule's value, or None after a refusal: raise_any raises before that is used."""
        try:
            return rule(*args, **kwargs)
        except UserError as exc:
            self.errors.append(exc)
            return None

    def form(self, validate: Callable[..., Any], *args: Any) -> Any:
        """A whole form's rules (refusing with FormErrors): their value, or None with every
        refusal kept."""
        try:
            return validate(*args)
        except FormErrors as exc:
            self.errors.extend(exc.errors)
            return None

    def first(self, rule: Callable[..., Any], *args: Any) -> Any:
        """As `check`, but a refusal goes before the others: it is of the form's first field
        (the employer above the posting's or the order's own fields)."""
        try:
            return rule(*args)
        except UserError as exc:
            self.errors.insert(0, exc)
            return None

    def add(self, code: str, field: str, **params: object) -> None:
        self.errors.append(UserError(code, field=field, **params))

    def raise_any(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)
