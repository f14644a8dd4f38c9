"""Reference data head office keeps (F2 on the dashboard): communities and their rates, staff
accounts, the service catalogue, partners and their shares. Changes go into the central
store at once; every desk receives them on its next sync."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from frontdesk.domain.clock import business_date
from frontdesk.domain.money import fmt_fen, percent_text
from frontdesk.domain.org_names import short_names
from frontdesk.errors import UserError, describe
from frontdesk.i18n import language, t
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import KeyBar
from screens.hq.common import HqScreen, HqStatusBar
from screens.hq.forms import (
    CATEGORIES,
    PartnerForm,
    PinForm,
    PriceForm,
    ServiceForm,
    ShareForm,
    SiteForm,
    StaffForm,
)

if TYPE_CHECKING:
    from frontdesk.hq.reference import Partner, PartnerAgreement, Service, Site, Staff

TABS = ("sites", "staff", "services", "partners")
COLUMNS = {
    "sites": ("code", "name", "category", "rebate", "tolerance", "min_wage"),
    "staff": ("site", "name", "role", "state"),
    "services": ("code", "name", "line", "price", "partner", "state"),
    "partners": ("name", "kind", "share", "since", "state"),
}
FLEXIBLE = {
    "sites": ("name", "rebate"),
    "staff": ("name",),
    "services": ("name", "partner", "line"),
    "partners": ("name", "kind"),
}
RIGHT = frozenset({"tolerance", "min_wage", "price", "share"})
TAB_CHROME = 2  # a tab pane's own padding


@dataclass
class Reference:
    """Everything the screen shows, read in one worker."""

    sites: list[Site] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    partners: list[tuple[Partner, PartnerAgreement | None]] = field(default_factory=list)
    codes_waiting: set[uuid.UUID] = field(default_factory=set)  # one-time codes not used yet


def site_cells(s: Site) -> dict[str, str]:
    words = dict((word, key) for key, word in CATEGORIES)
    category = t(f"hqui.cat_{words[s.category]}") if s.category in words else s.category
    base = t(f"day_report.base.{s.rebate_base}")
    return {
        "code": s.code,
        "name": s.name,
        "category": category,
        "rebate": f"{percent_text(s.rebate_rate_bp)} {base}",
        "tolerance": fmt_fen(s.closeout_tolerance_fen),
        "min_wage": fmt_fen(s.min_wage_fen_per_hour),
    }


def state_label(active: bool) -> str:
    return t("hqui.active" if active else "hqui.inactive")


def staff_cells(s: Staff, code_waiting: bool = False) -> dict[str, str]:
    state = state_label(s.active)
    return {
        "site": s.site_code,
        "name": s.name,
        "role": t(f"role.{s.role}"),
        "state": f"{state} · {t('pins.code_waiting')}" if code_waiting else state,
    }


def service_cells(s: Service, partner_names: dict[uuid.UUID, str]) -> dict[str, str]:
    return {
        "code": s.code,
        "name": s.name_zh if language() == "zh" else s.name_en,
        "line": t(f"line.{s.line}"),
        "price": fmt_fen(s.default_price_fen) if s.paid or s.default_price_fen else t("hqui.free"),
        "partner": partner_names.get(s.partner_id, "") if s.partner_id else "",
        "state": state_label(s.active),
    }


def partner_cells(p: Partner, a: PartnerAgreement | None, name: str) -> dict[str, str]:
    """A partner's row; `name` is how the list shows it (org_names.short_names)."""
    return {
        "name": name,
        "kind": p.kind,
        "share": percent_text(a.share_bp) if a else t("hqui.none"),
        "since": a.valid_from.isoformat() if a else "",
        "state": state_label(p.active),
    }


class ReferenceScreen(HqScreen[None]):
    AUTO_FOCUS = "#ref-sites"
    BINDINGS = [
        Binding("enter", "edit_site", "edit", id="edit", priority=True),
        Binding("enter", "price", "hq_price", id="hq_price", priority=True),
        Binding("enter", "share", "hq_share", id="hq_share", priority=True),
        Binding("e", "edit_service", "hq_edit_service", id="hq_edit_service"),
        Binding("n", "add", "hq_add", id="hq_add"),
        Binding("d", "toggle_active", "hq_toggle", id="hq_toggle"),
        Binding("p", "reset_pin", "hq_reset_pin", id="hq_reset_pin"),
        Binding("f5", "refresh", "refresh", id="refresh"),
        Binding("ctrl+r", "refresh", "refresh", id="refresh", show=False),
        Binding("escape", "back", "back", id="back"),
        Binding("1", "tab('sites')", "hq_tab_sites", id="hq_tab_sites", show=False),
        Binding("2", "tab('staff')", "hq_tab_staff", id="hq_tab_staff", show=False),
        Binding("3", "tab('services')", "hq_tab_services", id="hq_tab_services", show=False),
        Binding("4", "tab('partners')", "hq_tab_partners", id="hq_tab_partners", show=False),
    ]
    DEFAULT_CSS = """
    ReferenceScreen #ref-view { padding: 0 1; }
    ReferenceScreen #ref-tabs { height: 1fr; }
    ReferenceScreen TabPane { padding: 0; }
    ReferenceScreen #ref-tabs DataTable { height: 1fr; }
    ReferenceScreen #ref-note { height: auto; }
    """
    # Which keys work on which tab (the key bar shows only those).
    ON_TAB = {
        "edit_site": ("sites",),
        "price": ("services",),
        "edit_service": ("services",),
        "share": ("partners",),
        "add": ("staff", "services", "partners"),
        "toggle_active": ("staff", "services", "partners"),
        "reset_pin": ("staff",),
    }

    def __init__(self) -> None:
        super().__init__()
        self.data: Reference | None = None

    def compose(self) -> ComposeResult:
        yield HqStatusBar(id="status")
        with Vertical(id="ref-view"):
            with TabbedContent(id="ref-tabs"):
                for n, tab in enumerate(TABS, start=1):
                    with TabPane(f"{n} {t(f'hqui.tab_{tab}')}", id=f"tab-{tab}"):
                        yield RowTable(id=f"ref-{tab}")
            yield Static(t("hqui.loading"), id="ref-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self, _event: events.Resize) -> None:
        if self.data is not None:
            self._fill()

    def palette_commands(self) -> Iterable[SystemCommand]:
        for n, tab in enumerate(TABS, start=1):
            yield SystemCommand(
                f"{n} {t(f'hqui.tab_{tab}')}", t(f"hqui.palette_tab_{tab}"), self._tab(tab)
            )
        yield SystemCommand(t("key.refresh"), t("hqui.palette_refresh_ref"), self.action_refresh)
        yield SystemCommand(t("key.back"), t("hqui.palette_back"), self.action_back)

    def _tab(self, tab: str) -> Callable[[], None]:
        return lambda: self.action_tab(tab)

    @property
    def shown(self) -> Reference:
        """What is on screen: nothing before the first read (the keys wait for it)."""
        return self.data if self.data is not None else Reference()

    # --- tabs ---------------------------------------------------------------------------------
    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.query_one(f"#ref-{self.tab}", DataTable).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = self.ON_TAB.get(action)
        if tabs is None:
            return True
        return self.data is not None and self.tab in tabs

    # --- loading ------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self.load()

    def load(self) -> None:
        self.run_service(
            self._read,
            self._show,
            group="hq-reference",
            refused=lambda exc: self._failed(describe(exc)),
        )

    def _read(self) -> Reference:
        from frontdesk.hq import reference

        central = self.host.ensure_central()
        sites = reference.sites(central)
        return Reference(
            sites=sites,
            staff=[s for site in sites for s in reference.staff(central, site.code)],
            services=reference.services(central),
            partners=reference.partners(central, business_date(self.host.now())),
            codes_waiting=reference.codes_waiting(central),
        )

    def _failed(self, message: str) -> None:
        note = self.query_one("#ref-note", Static)
        note.update(t("hqui.store_failed", reason=message))
        note.set_classes("error")

    def _refused(self, message: str) -> None:
        note = self.query_one("#ref-note", Static)
        note.update(message)
        note.set_classes("error")

    def _show(self, data: Reference) -> None:
        self.data = data
        self.query_one(HqStatusBar).show_loaded(self.host.now())
        note = self.query_one("#ref-note", Static)
        note.update(t("hqui.ref_note"))
        note.set_classes("note")
        with self.app.batch_update():
            self._fill()
        self.refresh_bindings()

    def _fill(self) -> None:
        data = self.shown
        # Shown without the administrative prefix they share (江门市蓬江区...).
        shown = short_names([p.name for p, _ in data.partners])
        names = {p.id: name for (p, _), name in zip(data.partners, shown, strict=True)}
        rows: dict[str, list[tuple[str, dict[str, str], str]]] = {
            "sites": [(s.code, site_cells(s), "") for s in data.sites],
            "staff": [
                (str(s.id), staff_cells(s, s.id in data.codes_waiting), "" if s.active else "dim")
                for s in data.staff
            ],
            "services": [
                (s.code, service_cells(s, names), "" if s.active else "dim") for s in data.services
            ],
            "partners": [
                (str(p.id), partner_cells(p, a, names[p.id]), "" if p.active else "dim")
                for p, a in data.partners
            ],
        }
        room = self.size.width - CHROME - TAB_CHROME
        for tab in TABS:
            headers = {key: t(f"hqui.ref_{tab}_{key}") for key in COLUMNS[tab]}
            table = self.query_one(f"#ref-{tab}", DataTable)
            fill_table(table, headers, rows[tab], room, FLEXIBLE[tab], RIGHT & headers.keys())

    # --- the highlighted row ------------------------------------------------------------------
    def _key(self) -> str | None:
        return highlighted_key(self.query_one(f"#ref-{self.tab}", DataTable))

    def _site(self) -> Site | None:
        key = self._key()
        return next((s for s in self.shown.sites if s.code == key), None)

    def _staff(self) -> Staff | None:
        key = self._key()
        return next((s for s in self.shown.staff if str(s.id) == key), None)

    def _service(self) -> Service | None:
        key = self._key()
        return next((s for s in self.shown.services if s.code == key), None)

    def _partner(self) -> tuple[Partner, PartnerAgreement | None] | None:
        key = self._key()
        return next((pa for pa in self.shown.partners if str(pa[0].id) == key), None)

    # --- keys ---------------------------------------------------------------------------------
    def _open(self, form: Any) -> None:
        self.app.push_screen(form, callback=self._after)

    def _after(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_edit_site(self) -> None:
        site = self._site()
        if site is not None:
            self._open(SiteForm(site))

    def action_price(self) -> None:
        service = self._service()
        if service is not None:
            name = service.name_zh if language() == "zh" else service.name_en
            self._open(PriceForm(service.code, name, service.default_price_fen))

    def _partner_choices(self, keep: uuid.UUID | None) -> list[tuple[str, str]]:
        """Active partners to pick from, and `keep` (a service's own partner) even if off."""
        return [(p.name, str(p.id)) for p, _ in self.shown.partners if p.active or p.id == keep]

    def action_edit_service(self) -> None:
        service = self._service()
        if service is not None:
            self._open(ServiceForm(self._partner_choices(service.partner_id), service))

    def action_share(self) -> None:
        found = self._partner()
        if found is not None:
            partner, agreement = found
            share = agreement.share_bp if agreement else None
            self._open(ShareForm(partner.id, partner.name, share, self.host.today()))

    def action_add(self) -> None:
        if self.tab == "staff":
            sites = [(s.code, s.name) for s in self.shown.sites]
            current = self._staff()
            self._open(StaffForm(sites, current.site_code if current else None))
        elif self.tab == "services":
            self._open(ServiceForm(self._partner_choices(None)))
        elif self.tab == "partners":
            self._open(PartnerForm(self.host.today()))

    def action_reset_pin(self) -> None:
        staff = self._staff()
        if staff is not None:
            self._open(PinForm(staff.id, staff.name, staff.site_code))

    def action_toggle_active(self) -> None:
        if self.tab == "staff":
            staff = self._staff()
            if staff is not None:
                self.toggle("staff", str(staff.id), not staff.active, staff.name)
        elif self.tab == "services":
            service = self._service()
            if service is not None:
                self.toggle("services", service.code, not service.active, service.code)
        elif self.tab == "partners":
            found = self._partner()
            if found is not None:
                partner = found[0]
                self.toggle("partners", str(partner.id), not partner.active, partner.name)

    def toggle(self, kind: str, key: str, active: bool, label: str) -> None:
        def call() -> list[str]:
            """The services a partner switched off takes with it."""
            from frontdesk.hq import reference

            central = self.host.ensure_central()
            if kind == "staff":
                reference.set_staff_active(central, self.host.actor, uuid.UUID(key), active)
            elif kind == "partners":
                return reference.set_partner_active(
                    central, self.host.actor, uuid.UUID(key), active
                )
            else:
                reference.set_service_active(central, self.host.actor, key, active)
            return []

        self.run_service(
            call,
            lambda codes: self._toggled(kind, active, label, codes),
            group="hq-toggle",
            refused=self._toggle_refused,
        )

    def _toggled(self, kind: str, active: bool, label: str, codes: list[str]) -> None:
        if kind == "partners" and active:
            done = t("hqui.partner_on", name=label)
        elif codes:
            done = t("hqui.partner_off", name=label, services=", ".join(codes))
        else:
            done = t("hqui.now_active" if active else "hqui.now_inactive", name=label)
        self.app.notify(done)
        self.load()

    def _toggle_refused(self, exc: Exception) -> None:
        if isinstance(exc, UserError):  # refused (a partner that is off): said under the table
            self._refused(exc.message())
        else:
            self._failed(describe(exc))

    def action_back(self) -> None:
        self.dismiss()
