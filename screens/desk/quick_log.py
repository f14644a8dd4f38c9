"""The quick log: a visit or service in a few keys (F3 from home).

Pick the service by a number key 1-9, its code or pinyin initials; leave the visitor blank
for an anonymous visit or find a registered person; a paid service takes the amount
(prefilled with the price) and a method key 1-5. Enter saves once nothing is missing, or
moves to the first field that is; the screen stays open for the next visitor.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from frontdesk.domain import walkin_rules as rules
from frontdesk.domain.money import METHODS, fmt_fen, yuan_text
from frontdesk.i18n import language, t
from screens.common.base import DeskScreen
from screens.common.widgets import FieldError, KeyBar, KeyLegend, StatusBar

if TYPE_CHECKING:
    from frontdesk.services.search import PersonRow
    from frontdesk.services.service_lines import ServiceItem
    from frontdesk.services.walkins import Logged, WalkInInput

TEXTS = ("headcount", "duration", "outcome", "referral", "follow_up", "amount", "method")
MATCHES_SHOWN = 5


class QuickLogScreen(DeskScreen[None]):
    AUTO_FOCUS = "#service"
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="save"),
        Binding("f6", "attendees", "attendees", id="attendees"),
        Binding("f4", "print_receipt", "print_receipt", id="print_receipt"),
        Binding("escape", "back", "back", id="back"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.services: list[ServiceItem] = []  # loaded after mount
        self.service: ServiceItem | None = None  # the chosen one
        self.person: tuple[uuid.UUID, str] | None = None  # (id, name) or anonymous
        self.attendees: list[tuple[uuid.UUID, str]] = []
        self.last_paid: uuid.UUID | None = None  # the income entry just saved: F4 prints it

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="quick"):
            yield Static(t("quick.title"), classes="title")
            yield from self._row("service", t("quick.service_hint"))
            yield Static("", id="service-chosen", classes="note form-error")
            yield OptionList(id="service-matches", classes="matches")
            yield from self._row("visitor", t("quick.visitor_hint"))
            yield Static(t("quick.anonymous"), id="visitor-chosen", classes="note form-error")
            yield OptionList(id="visitor-matches", classes="matches")
            with Horizontal(classes="form-row"):
                yield Label(t("quick.headcount"))
                yield Input("1", id="headcount", restrict=r"[0-9]*", max_length=4, classes="short")
                yield Label(t("quick.channel"), classes="inline")
                yield Select(
                    [(t(f"channel.{c}"), c) for c in rules.CHANNELS],
                    id="channel",
                    value="in_person",
                    allow_blank=False,
                    classes="short-select",
                )
                yield Label(t("quick.duration"), classes="inline")
                yield Input(id="duration", restrict=r"[0-9]*", max_length=3, classes="short")
            yield FieldError(id="headcount-error", classes="form-error")
            yield FieldError(id="duration-error", classes="form-error")
            yield from self._row("outcome")
            yield from self._row("referral")
            yield from self._row("follow_up", "YYYY-MM-DD")
            with Vertical(id="payment"):
                yield from self._row("amount")
                with Horizontal(classes="form-row"):
                    yield Label(t("quick.method"))
                    yield Input(id="method", restrict=r"[1-5]?", max_length=1, classes="short")
                    yield Static(t("quick.method_hint"), id="method-name", classes="note")
                yield FieldError(id="method-error", classes="form-error")
            yield Static("", id="attendees-count", classes="note")
            yield KeyLegend(id="quick-keys")
        yield KeyBar()

    def _row(self, name: str, placeholder: str = "") -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t(f"quick.{name}"))
            yield Input(id=name, placeholder=placeholder)
        yield FieldError(id=f"{name}-error", classes="form-error")

    def on_mount(self) -> None:
        self._reset_errors()
        self.query_one("#payment").display = False
        # Only the two match lists: the channel's Select has an OptionList of its own (its
        # drop-down), which must keep its focus or the arrow keys could not choose a channel.
        for matches in self.query("OptionList.matches"):
            matches.display = False
            matches.can_focus = False  # arrows move them from the field; Tab skips them
        self.load_services()

    def load_services(self) -> None:
        from frontdesk.services.service_lines import walkin_services

        self.run_service(
            lambda: walkin_services(self.desk.engine), self._services_loaded, group="quick-services"
        )

    def _services_loaded(self, services: list[ServiceItem]) -> None:
        self.services = services
        self.query_one("#quick-keys", KeyLegend).show(t("quick.keys"), quick_keys(services))
        self._match_services(self.query_one("#service", Input).value)

    # --- service --------------------------------------------------------------------------
    @on(Input.Changed, "#service")
    def _service_typed(self, event: Input.Changed) -> None:
        self._match_services(event.value)

    def _match_services(self, typed: str) -> None:
        from frontdesk.services.service_lines import match

        box = self.query_one("#service-matches", OptionList)
        box.clear_options()
        found = match(self.services, typed) if typed.strip() else []
        for item in found[:MATCHES_SHOWN]:
            box.add_option(Option(self._service_label(item), id=str(item.id)))
        box.display = bool(found) and len(typed.strip()) > 0
        if found:
            box.highlighted = 0
        self._choose_service(found[0] if found else None)
        if typed.strip() and not found:
            self.query_one("#service-chosen", Static).update(t("quick.no_service"))

    def _service_label(self, item: ServiceItem) -> str:
        price = t("quick.price", price=fmt_fen(item.price_fen)) if item.paid else t("quick.free")
        return f"{item.code}  {item.name(language())}  · {price}"

    def _choose_service(self, item: ServiceItem | None) -> None:
        if item is self.service:
            return
        self.service = item
        self.query_one("#service-chosen", Static).update(self._service_label(item) if item else "")
        price = item.price_fen if item and item.paid else None
        paid = price is not None
        self.query_one("#payment").display = paid
        amount = self.query_one("#amount", Input)
        amount.value = yuan_text(price) if price is not None else ""
        if not paid:
            self.query_one("#method", Input).value = ""

    # --- visitor --------------------------------------------------------------------------
    @on(Input.Changed, "#visitor")
    def _visitor_typed(self, event: Input.Changed) -> None:
        self.person = None
        self.query_one("#visitor-chosen", Static).update(t("quick.anonymous"))
        if event.value.strip():
            self.find_people(event.value)
        else:
            self.query_one("#visitor-matches", OptionList).display = False

    def find_people(self, query: str) -> None:
        from frontdesk.services.search import search

        self.run_service(
            lambda: search(self.desk.engine, self.desk.site_code, query, limit=MATCHES_SHOWN),
            lambda rows: self._people_found(query, rows),
            group="quick-people",
        )

    def _people_found(self, query: str, rows: list[PersonRow]) -> None:
        if query != self.query_one("#visitor", Input).value:
            return
        box = self.query_one("#visitor-matches", OptionList)
        box.clear_options()
        for r in rows:
            box.add_option(
                Option(f"{r.name}  {r.phone_masked}  {r.id_masked}", id=f"{r.id}|{r.name}")
            )
        box.display = bool(rows)
        if rows:
            box.highlighted = 0

    def _pick_person(self) -> bool:
        box = self.query_one("#visitor-matches", OptionList)
        option = box.highlighted_option if box.display and box.highlighted is not None else None
        if option is None or option.id is None:
            return False
        person_id, name = option.id.split("|", 1)
        self.person = (uuid.UUID(person_id), name)
        self.query_one("#visitor-chosen", Static).update(name)
        box.display = False
        return True

    # --- keys -----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        focused = self.focused
        target = {"service": "#service-matches", "visitor": "#visitor-matches"}.get(
            getattr(focused, "id", "") or ""
        )
        if target is None:
            self.focus_next() if step > 0 else self.focus_previous()
            return
        box = self.query_one(target, OptionList)
        if box.display and box.option_count:
            box.highlighted = max(0, min(box.option_count - 1, (box.highlighted or 0) + step))
            option = box.highlighted_option
            if target == "#service-matches" and option is not None:
                self._choose_service(next(s for s in self.services if str(s.id) == option.id))

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if event.input.id == "visitor" and self._pick_person():
            self._next_missing_or_save(after="visitor")
            return
        self._next_missing_or_save(after=event.input.id or "")

    def _next_missing_or_save(self, after: str) -> None:
        """Enter: save when nothing required is missing, else go to what is."""
        if self.service is None:
            self.query_one("#service", Input).focus()
            return
        self.query_one("#service-matches", OptionList).display = False
        if self.service.paid:
            amount = self.query_one("#amount", Input)
            if after in ("service", "visitor") and amount.value:
                amount.focus()  # confirm or change the prefilled price
                return
            if not amount.value.strip():
                amount.focus()
                return
            if not self.query_one("#method", Input).value:
                self.query_one("#method", Input).focus()
                return
        self.action_save()

    @on(Input.Changed, "#method")
    def _method_typed(self, event: Input.Changed) -> None:
        method = self._method()
        label = t(f"method.{method}") if method else t("quick.method_hint")
        self.query_one("#method-name", Static).update(label)

    def _method(self) -> str:
        key = self.query_one("#method", Input).value
        return METHODS[int(key) - 1] if key else ""

    # --- saving ---------------------------------------------------------------------------
    def action_save(self) -> None:
        from frontdesk.services.walkins import WalkInInput

        self._reset_errors()
        if self.service is None:
            self.query_one("#service-error", FieldError).show(t("walkin.unknown_service"))
            self.query_one("#service", Input).focus()
            return
        text = {name: self.query_one(f"#{name}", Input).value for name in TEXTS}
        raw = WalkInInput(
            service_id=self.service.id,
            person_id=self.person[0] if self.person else None,
            headcount=text["headcount"],
            channel=str(self.query_one("#channel", Select).value),
            duration_min=text["duration"],
            outcome=text["outcome"],
            referral=text["referral"],
            follow_up_on=text["follow_up"].strip() or None,
            amount=text["amount"],
            method=self._method(),
            attendees=[a[0] for a in self.attendees],
        )
        self.save(raw)

    def save(self, raw: WalkInInput) -> None:
        from frontdesk.services.walkins import log_walkin

        ceiling = self.host.cfg.amount_ceiling_fen
        self.run_service(
            lambda: log_walkin(self.desk.engine, self.actor, raw, self.host.now(), ceiling),
            self._saved,
            group="quick-save",
        )

    def _saved(self, logged: Logged) -> None:
        name = self.service.name(language()) if self.service else ""
        self.last_paid = logged.payment.id if logged.payment is not None else None
        self.refresh_bindings()
        if logged.payment is not None:
            message = t("quick.saved_paid", service=name, amount=fmt_fen(logged.payment.amount_fen))
            message += "\n" + t("print.offer")
        else:
            message = t("quick.saved", service=name)
        day = logged.walkin.business_date.isoformat()
        if logged.booked_later:  # the day is closed: its money went into the next open day
            assert logged.payment is not None
            booked = logged.payment.business_date.isoformat()
            message += "\n" + t("walkin.booked_later", date=day, booked=booked)
        elif logged.walkin.after_close:
            message += "\n" + t("walkin.after_close", date=day)
        # Long enough to be read: where the money went is news to the clerk.
        self.notify(message, timeout=12 if logged.walkin.after_close else 5)
        self._clear()

    def _clear(self) -> None:
        for box in self.query(Input):
            box.value = ""
        self.query_one("#headcount", Input).value = "1"
        self.query_one("#channel", Select).value = "in_person"
        self.person, self.attendees = None, []
        self.query_one("#attendees-count", Static).update("")
        self._choose_service(None)
        self.query_one("#service", Input).focus()

    # Where a refusal shows, if not at the field of its name; anything else goes at the top.
    FIELD_AT = {
        "channel": "headcount",
        "notes": "outcome",
        "attendees": "headcount",
        "date": "service",  # the business day (closed): the form has no date, so at the top
    }

    def refusal_field(self, error: BaseException) -> str:
        return super().refusal_field(error) or "service"

    def _reset_errors(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    # --- the receipt of the entry just saved ----------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "print_receipt":
            return self.last_paid is not None  # offered once a paid entry is saved
        return True

    def action_print_receipt(self) -> None:
        """F4: the receipt of the paid entry just saved, in a worker. The entry is saved
        already: a printer fault never undoes it, and the receipt is kept to print later."""
        from frontdesk.printing.jobs import print_receipt
        from screens.common.printing import print_in_worker

        if self.last_paid is None:
            self.notify(t("print.nothing_to_print"))
            return
        paid = self.last_paid
        print_in_worker(
            self, lambda engine, actor, setup, now: print_receipt(engine, actor, setup, paid, now)
        )

    # --- attendees and leaving ------------------------------------------------------------
    def action_attendees(self) -> None:
        from screens.desk.attendees import AttendeesDialog

        self.app.push_screen(AttendeesDialog(list(self.attendees)), callback=self._attendees_set)

    def _attendees_set(self, chosen: list[tuple[uuid.UUID, str]] | None) -> None:
        if chosen is None:
            return
        self.attendees = chosen
        count = t("quick.attendees_count", count=len(chosen)) if chosen else ""
        self.query_one("#attendees-count", Static).update(count)
        headcount = self.query_one("#headcount", Input)
        if chosen and int(headcount.value or "0") < len(chosen):
            headcount.value = str(len(chosen))

    def action_back(self) -> None:
        self.action_cancel()  # asks first when something typed is not logged yet


def quick_keys(services: list[ServiceItem]) -> list[tuple[str, str]]:
    """The services on number keys 1-9, shown under the form so the keys can be learnt."""
    on_keys = sorted((s for s in services if s.quick_key), key=lambda s: s.quick_key)
    return [(str(s.quick_key), s.name(language())) for s in on_keys]
