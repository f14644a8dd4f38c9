"""Head office's reference-data forms: a site's settings, staff accounts, prices, services,
partners and their shares.

Each form is a dialog: Enter or Ctrl+S saves, Escape leaves without saving. The write runs
in a thread worker; a refusal (frontdesk.errors.UserError) is shown under the field it
names, and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain.money import fmt_fen, percent_text
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import save_or_cancel
from screens.common.widgets import FieldError, KeyBar
from screens.hq.common import HqModal

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from frontdesk.hq.reference import CodeIssued, Service

# Site categories (DOMAIN.md): stored as the words head office uses, shown translated.
CATEGORIES = (
    ("all_round", "全优型"),
    ("resource", "资源型"),
    ("venue", "阵地型"),
    ("explore", "探索型"),
)
SHOWN_ROLES = ("clerk", "manager")  # head office's own role is never given to a desk account


def yuan_text(fen: int) -> str:
    return fmt_fen(fen, symbol="").replace(",", "")


def parse_day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError("hqui.bad_date", field=field) from None


class HqForm(HqModal[bool]):
    """A form of one-line fields, each with its error line under it."""

    CANCELLED = False

    BINDINGS = save_or_cancel("save")
    DEFAULT_CSS = """
    HqForm { align: center middle; }
    HqForm .hq-note { margin: 1 0 0 0; }
    """
    TITLE_KEY = ""
    # The service's field names that are not this form's own field names (a field's widget
    # is "#f-<name>").
    FIELD_AT: ClassVar[Mapping[str, str | None]] = {}
    REFUSAL_AT = "form-error"

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(self.title_text(), classes="title")
            yield from self.fields()
            yield FieldError(id="form-error")
            note = self.note()
            if note:
                yield Static(note, classes="note hq-note")
        yield KeyBar()

    # --- what a form defines ------------------------------------------------------------------
    def title_text(self) -> str:
        return t(self.TITLE_KEY)

    def note(self) -> str:
        return ""

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def check(self, values: Mapping[str, str]) -> None:
        """Checks of the form itself, before the service is asked (raise UserError)."""

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        """Called in a thread: write, and return what to tell the user."""
        raise NotImplementedError

    # --- building blocks ----------------------------------------------------------------------
    @staticmethod
    def row(name: str, label: str, field: Widget) -> ComposeResult:
        field.id = f"f-{name}"
        with Horizontal(classes="form-row"):
            yield Label(label)
            yield field
        yield FieldError(id=f"f-{name}-error", classes="form-error")

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for widget in self.query(".form-row Input, .form-row Select"):
            name = (widget.id or "").removeprefix("f-")
            if isinstance(widget, Select):
                value: Any = widget.value
                found[name] = "" if value is Select.NULL else str(value)
            elif isinstance(widget, Input):
                found[name] = widget.value
        return found

    # --- saving -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._clear()
        fields = self.query(".form-row Input, .form-row Select")
        if fields:
            fields.first().focus()

    def _clear(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._clear()
        self.save(self.values())

    def save(self, values: dict[str, str]) -> None:
        def call() -> str:
            self.check(values)
            return self.write(self.host.ensure_central(), values)

        self.run_service(call, self._saved, group="hq-form", refused=self.refused_write)

    def _saved(self, message: str) -> None:
        self.busy = False
        self.app.notify(message)
        self.dismiss(True)

    def refusal_field(self, error: BaseException) -> str | None:
        field = getattr(error, "field", None)
        name = self.FIELD_AT.get(field, field) if field else None
        return f"f-{name}" if name and self.query(f"#f-{name}-error") else None


def _input(value: str = "", **kw: Any) -> Input:
    return Input(value, **kw)


def _select(options: Sequence[tuple[str, str]], value: str | None, blank: bool) -> Select[str]:
    chosen = value if value in {v for _, v in options} else Select.NULL
    if chosen is Select.NULL and not blank and options:
        chosen = options[0][1]
    return Select(options, value=chosen, allow_blank=blank, prompt=t("form.none"))


# --- sites --------------------------------------------------------------------------------------
class SiteForm(HqForm):
    """A community's name, category, rebate rate and base, close-out tolerance, minimum wage."""

    def __init__(self, site) -> None:
        super().__init__()
        self.site = site

    def title_text(self) -> str:
        return t("hqui.site_form_title", site=self.site.code)

    def note(self) -> str:
        return t("hqui.site_form_note")

    def fields(self) -> ComposeResult:
        s = self.site
        categories = [(t(f"hqui.cat_{key}"), word) for key, word in CATEGORIES]
        if s.category and s.category not in {w for _, w in CATEGORIES}:
            categories.append((s.category, s.category))
        bases = [(t(f"day_report.base.{b}"), b) for b in ("community_share", "gross")]
        yield from self.row("name", t("hqui.f_site_name"), _input(s.name, max_length=80))
        yield from self.row("category", t("hqui.f_category"), _select(categories, s.category, True))
        rate = percent_text(s.rebate_rate_bp).removesuffix("%")
        yield from self.row("rebate_percent", t("hqui.f_rebate"), _input(rate, max_length=6))
        yield from self.row(
            "rebate_base", t("hqui.f_rebate_base"), _select(bases, s.rebate_base, False)
        )
        tolerance = yuan_text(s.closeout_tolerance_fen)
        yield from self.row(
            "tolerance_yuan", t("hqui.f_tolerance"), _input(tolerance, max_length=10)
        )
        wage = yuan_text(s.min_wage_fen_per_hour)
        yield from self.row("min_wage_yuan", t("hqui.f_min_wage"), _input(wage, max_length=10))

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import SiteRates, update_site

        update_site(central, self.host.actor, self.site.code, SiteRates(**values))
        return t("hqui.site_saved", site=self.site.code)


# --- staff accounts -----------------------------------------------------------------------------
class IssuesCode(HqForm):
    """A form whose write issues a one-time code: shown once, after the form closes."""

    issued: CodeIssued | None = None

    def _saved(self, message: str) -> None:
        super()._saved(message)
        issued = self.issued
        if issued is not None:
            staff = issued.staff
            self.app.push_screen(CodeShown(staff.name, staff.site_code, issued.code))


class StaffForm(IssuesCode):
    """A new staff account at a community; the person chooses the PIN at the desk with the
    one-time code shown after saving (head office never sees a PIN)."""

    TITLE_KEY = "hqui.staff_form_title"

    def __init__(self, sites: Sequence[tuple[str, str]], site: str | None) -> None:
        super().__init__()
        self.sites, self.default_site = sites, site

    def fields(self) -> ComposeResult:
        sites = [(f"{code} {name}", code) for code, name in self.sites]
        roles = [(t(f"role.{r}"), r) for r in SHOWN_ROLES]
        yield from self.row("site", t("hqui.f_site"), _select(sites, self.default_site, False))
        yield from self.row("name", t("hqui.f_staff_name"), _input(max_length=40))
        yield from self.row("role", t("hqui.f_role"), _select(roles, "clerk", False))

    def note(self) -> str:
        return t("pins.staff_form_note")

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import add_staff

        self.issued = add_staff(
            central, self.host.actor, values["site"], values["name"], values["role"]
        )
        row = self.issued.staff
        return t("hqui.staff_added", name=row.name, site=row.site_code)


class PinForm(IssuesCode):
    """Reset a staff member's PIN: head office issues a one-time code in its place (the old
    PIN is not needed, and no new PIN is typed here)."""

    BINDINGS = [
        Binding("enter", "save", "hq_issue_code", id="hq_issue_code"),
        Binding("ctrl+s", "save", "hq_issue_code", id="hq_issue_code_ctrl_s", show=False),
    ]

    def __init__(self, staff_id: uuid.UUID, name: str, site: str) -> None:
        super().__init__()
        self.staff_id, self.staff_name, self.site = staff_id, name, site

    def title_text(self) -> str:
        return t("hqui.pin_form_title", name=self.staff_name, site=self.site)

    def fields(self) -> ComposeResult:
        yield Static(t("pins.reset_body"), classes="hq-body")

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import reset_pin

        self.issued = reset_pin(central, self.host.actor, self.staff_id)
        return t("pins.code_issued", name=self.staff_name)


class CodeShown(HqModal[None]):
    """The one-time code, shown once for head office to read out; nothing keeps it."""

    BINDINGS = [
        Binding("enter", "close", "close", id="close"),
        Binding("escape", "close", "close", id="close_escape", show=False),
    ]
    DEFAULT_CSS = """
    CodeShown { align: center middle; }
    CodeShown #code { margin: 1 0; text-style: bold; content-align: center middle; width: 100%; }
    """

    def __init__(self, name: str, site: str, code: str) -> None:
        super().__init__()
        self.staff_name, self.site, self.code = name, site, code

    def compose(self) -> ComposeResult:
        from frontdesk.domain.pin_rules import grouped

        with Vertical(classes="box dialog"):
            yield Static(
                t("pins.code_title", name=self.staff_name, site=self.site), classes="title"
            )
            yield Static(grouped(self.code), id="code")
            yield Static(t("pins.code_once"))
            yield Static(t("pins.code_steps", site=self.site), classes="note hq-note")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)


# --- the service catalogue ----------------------------------------------------------------------
class PriceForm(HqForm):
    def __init__(self, code: str, name: str, price_fen: int) -> None:
        super().__init__()
        self.code, self.service_name, self.price_fen = code, name, price_fen

    def title_text(self) -> str:
        return t("hqui.price_form_title", code=self.code, name=self.service_name)

    def fields(self) -> ComposeResult:
        price = _input(yuan_text(self.price_fen), max_length=12)
        yield from self.row("price", t("hqui.f_price"), price)

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import set_price

        row = set_price(central, self.host.actor, self.code, values["price"])
        return t("hqui.price_saved", code=row.code, price=fmt_fen(row.default_price_fen))


class ServiceForm(HqForm):
    """A new line in the catalogue or, given `service`, an existing one's names, line and
    partner (its code stays, its price has PriceForm); a partner's service is split by the
    partner's share."""

    TITLE_KEY = "hqui.service_form_title"

    def __init__(self, partners: Sequence[tuple[str, str]], service: Service | None = None):
        super().__init__()
        self.partners = partners  # (name, id)
        self.service = service

    def title_text(self) -> str:
        if self.service is None:
            return t(self.TITLE_KEY)
        return t("hqui.service_edit_title", code=self.service.code)

    def fields(self) -> ComposeResult:
        s = self.service
        from_lines = [(t(f"line.{line}"), line) for line in _lines()]
        if s is None:
            yield from self.row("code", t("hqui.f_code"), _input(max_length=16))
        name_zh, name_en = (s.name_zh, s.name_en) if s else ("", "")
        yield from self.row("name_zh", t("hqui.f_name_zh"), _input(name_zh, max_length=60))
        yield from self.row("name_en", t("hqui.f_name_en"), _input(name_en, max_length=80))
        line = _select(from_lines, s.line if s else None, s is None)
        yield from self.row("line", t("hqui.f_line"), line)
        if s is None:
            yield from self.row("price", t("hqui.f_price"), _input(max_length=12))
        partner = str(s.partner_id) if s and s.partner_id else None
        yield from self.row("partner", t("hqui.f_partner"), _select(self.partners, partner, True))

    def note(self) -> str:
        return t("hqui.service_form_note" if self.service is None else "hqui.service_edit_note")

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import NewService, ServiceEdit, add_service, edit_service

        partner = uuid.UUID(values["partner"]) if values["partner"] else None
        if self.service is not None:
            edit = ServiceEdit(values["name_zh"], values["name_en"], values["line"], partner)
            row = edit_service(central, self.host.actor, self.service.code, edit)
            return t("hqui.service_saved", code=row.code)
        raw = NewService(
            values["code"],
            values["name_zh"],
            values["name_en"],
            values["line"],
            values["price"],
            partner,
        )
        row = add_service(central, self.host.actor, raw)
        return t("hqui.service_added", code=row.code)


def _lines() -> tuple[str, ...]:
    from frontdesk.domain.service_catalogue import SERVICE_LINES

    return SERVICE_LINES


# --- partners -----------------------------------------------------------------------------------
class PartnerForm(HqForm):
    TITLE_KEY = "hqui.partner_form_title"

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def fields(self) -> ComposeResult:
        yield from self.row("name", t("hqui.f_partner_name"), _input(max_length=80))
        yield from self.row("kind", t("hqui.f_kind"), _input(max_length=40))
        yield from self.row("share", t("hqui.f_share"), _input(max_length=6))
        yield from self.row(
            "start", t("hqui.f_start"), _input(self.today.isoformat(), max_length=10)
        )

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import add_partner

        start = parse_day(values["start"], "start")
        row = add_partner(
            central, self.host.actor, values["name"], values["kind"], values["share"], start
        )
        return t("hqui.partner_added", name=row.name)


class ShareForm(HqForm):
    """A partner's new general share from a date; the one in force ends the day before."""

    def __init__(self, partner_id: uuid.UUID, name: str, share_bp: int | None, today: date):
        super().__init__()
        self.partner_id, self.partner_name = partner_id, name
        self.share_bp, self.today = share_bp, today

    def title_text(self) -> str:
        return t("hqui.share_form_title", name=self.partner_name)

    def note(self) -> str:
        now = percent_text(self.share_bp) if self.share_bp is not None else t("hqui.none")
        return t("hqui.share_form_note", share=now)

    def fields(self) -> ComposeResult:
        yield from self.row("share", t("hqui.f_share"), _input(max_length=6))
        yield from self.row(
            "start", t("hqui.f_start"), _input(self.today.isoformat(), max_length=10)
        )

    def write(self, central: Engine, values: Mapping[str, str]) -> str:
        from frontdesk.hq.reference import set_share

        start = parse_day(values["start"], "start")
        row = set_share(central, self.host.actor, self.partner_id, values["share"], start)
        return t(
            "hqui.share_saved",
            name=self.partner_name,
            share=percent_text(row.share_bp),
            start=row.valid_from.isoformat(),
        )
