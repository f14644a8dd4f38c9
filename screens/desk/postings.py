"""Job postings (Ctrl+E at home): the site's postings, newest first, by employer, job type
and status (open at first), a page at a time. Enter opens a posting with its candidates
and referrals, Ctrl+N publishes a new one, W withdraws the highlighted one, F2 goes to the
employers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Input, Label, Select

from frontdesk.domain import job_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.org_names import shared_prefix, short_names
from frontdesk.i18n import t
from screens.common.paged_list import BACK_KEY, OPEN_KEY, PAGE_KEYS, PagedListScreen
from screens.desk.gig_format import own_short_name
from screens.desk.job_format import POSTING_COLUMNS, posting_cells, posting_summary

if TYPE_CHECKING:
    from frontdesk.services.employers import EmployerView
    from frontdesk.services.postings import PostingRow


class PostingsScreen(PagedListScreen["PostingRow"]):
    AUTO_FOCUS = "#postings"
    LIST = "postings"
    BOX = "posting-list"
    RIGHT = ("places",)
    FLEXIBLE = ("title", "employer", "pay")
    TEXT_FILTERS = ("job-filter",)
    BINDINGS = [
        OPEN_KEY,
        Binding("ctrl+n", "new", "new_posting", id="new_posting"),
        Binding("w", "withdraw", "withdraw_posting", id="withdraw_posting"),
        Binding("f2", "employers", "employers", id="employers"),
        *PAGE_KEYS,
        BACK_KEY,
    ]
    DEFAULT_CSS = """
    PostingsScreen .list-filter Select#employer-filter { width: 20; }
    PostingsScreen .list-filter Select#status-filter { width: 12; }
    PostingsScreen .list-filter Input#job-filter { width: 10; }
    """

    def __init__(self, employer_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.employer_id = employer_id

    def filters(self) -> ComposeResult:
        chosen = str(self.employer_id) if self.employer_id else ""
        yield Label(t("postings.filter_employer"))
        yield Select([(t("postings.all"), "")], id="employer-filter", value="", allow_blank=False)
        yield Label(t("postings.filter_job"), classes="inline")
        yield Input(id="job-filter", max_length=40)
        yield Label(t("postings.filter_status"), classes="inline")
        yield Select(
            [(t("postings.all"), ""), *((t(f"job.status.{s}"), s) for s in rules.SHOWN_STATUSES)],
            id="status-filter",
            value="" if chosen else "open",
            allow_blank=False,
        )

    def on_mount(self) -> None:
        self.run_service(self._employers, self._show_employers, group="postings-employers")

    def _employers(self) -> list[EmployerView]:
        from frontdesk.services.employers import list_employers

        return list_employers(self.desk.engine, self.desk.site_code)

    def _show_employers(self, employers: list[EmployerView]) -> None:
        names = short_names([e.name for e in employers])
        pairs = zip(names, employers, strict=True)
        options = [(t("postings.all"), ""), *((n, str(e.id)) for n, e in pairs)]
        select = self.query_one("#employer-filter", Select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            if self.employer_id is not None:
                select.value = str(self.employer_id)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_posting"), t("posting_form.title_new"), self.action_new)
        yield SystemCommand(t("key.employers"), t("employers.title", page=1), self.action_employers)

    @on(Input.Changed, "#job-filter")
    def _typed(self) -> None:
        self.reload()

    @on(Select.Changed, "#employer-filter")
    def _employer_chosen(self) -> None:
        value = self.chosen("employer-filter")
        self.employer_id = uuid.UUID(value) if value else None

    # --- the list ---------------------------------------------------------------------------
    def title_text(self, page: int) -> str:
        return t("postings.title", page=page + 1)

    def page_reader(self, offset: int, limit: int) -> Callable[[], list[PostingRow]] | None:
        from frontdesk.services.postings import list_postings

        employer, status = self.employer_id, self.chosen("status-filter")
        job = self.query_one("#job-filter", Input).value
        today = business_date(self.host.now())
        return lambda: list_postings(
            self.desk.engine,
            self.desk.site_code,
            today,
            employer_id=employer,
            job_type=job,
            status=status,
            offset=offset,
            limit=limit,
        )

    def headers(self) -> Mapping[str, str]:
        return {key: t(f"postings.col_{key}") for key in POSTING_COLUMNS}

    def cells(self, rows: list[PostingRow]) -> Iterable[tuple[str, Mapping[str, str], str]]:
        prefix = shared_prefix(p.employer for p in rows)
        for p in rows:
            yield str(p.id), posting_cells(p, prefix), "" if p.status == "open" else "dim"

    def summary(self, row: PostingRow) -> str:
        return posting_summary(row)

    def empty_note(self, first_page: bool) -> str:
        return t("postings.none") if first_page else t("postings.no_more")

    def open_row(self, row: PostingRow) -> None:
        self.open_posting(row.id)

    # --- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "withdraw":
            return self.focused_id() == "postings"  # W types in the job box
        return super().check_action(action, parameters)

    def open_posting(self, posting_id: uuid.UUID) -> None:
        from screens.desk.posting_record import PostingScreen

        self.app.push_screen(PostingScreen(posting_id))

    def action_new(self) -> None:
        from screens.desk.posting_form import PostingFormScreen

        self.app.push_screen(PostingFormScreen(employer_id=self.employer_id), self._after_form)

    def _after_form(self, posting_id: uuid.UUID | None) -> None:
        if posting_id is not None:
            self.open_posting(posting_id)

    def action_employers(self) -> None:
        from screens.desk.employers import EmployersScreen

        self.app.push_screen(EmployersScreen())

    def action_withdraw(self) -> None:
        from screens.desk.attendance import ConfirmDialog

        p = self.highlighted()
        if p is None:
            return
        if p.status == "withdrawn":
            self.notify(t("job.already_withdrawn"), severity="warning")
            return
        message = t("posting.withdraw_what", title=p.title, employer=own_short_name(p.employer))
        self.app.push_screen(
            ConfirmDialog(t("posting.withdraw_title"), message),
            callback=lambda answer: self._withdraw(p.id, answer),
        )

    def _withdraw(self, posting_id: uuid.UUID, answer: tuple[bool, str] | None) -> None:
        if not answer or not answer[0]:
            return
        from frontdesk.services.postings import withdraw_posting

        self.run_service(
            lambda: withdraw_posting(self.desk.engine, self.actor, posting_id, self.host.now()),
            lambda _: self._withdrawn(),
            group="postings-withdraw",
        )

    def _withdrawn(self) -> None:
        self.notify(t("posting.withdrawn"))
        self.load()
