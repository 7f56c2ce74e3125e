"""The export panel of the report: a dataset written with the screen's filters to
a file the user names, after asking before whole ID numbers or a replaced file;
a thread worker streams the rows while a progress bar moves, Esc cancels (and
the half-written file is removed)."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    ProgressBar,
    Select,
    Static,
)
from textual.worker import get_current_worker

from clinic.core.errors import ClinicError, FieldError
from clinic.core.exports import export_target, exports_folder
from clinic.core.users import require
from clinic.i18n import _
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import show_error
from clinic.ui.text import sentence
from clinic.ui.threads import deliver, still_shown
from clinic.ui.widgets.confirm import ConfirmDialog

# The pack: every dataset and the charts in one workbook (clinic export pack).
PACK = "pack"
# Choices whose files hold counts only: no question before "whole numbers".
COUNTS_ONLY = {"report"}
# Choices that are also a printed page when the file is named .html.
PRINTABLE = {"report", "follow-ups"}


def export_format(dataset: str, path: Path) -> str:
    """The format the file name asks for, if this choice can be written so."""
    from clinic.core.tabular import format_from_name

    suffix = path.suffix.lower()
    if dataset == PACK:
        if suffix != ".xlsx":
            raise FieldError(
                _("The pack is an Excel workbook: name the file .xlsx, not {file}.").format(
                    file=path.name
                )
            )
        return "xlsx"
    if dataset in PRINTABLE and suffix == ".html":
        return "html"
    return format_from_name(path)


def export_size(store, dataset: str, fmt: str, filters, *, today) -> int:
    """How many rows the export writes, for the progress bar."""
    from clinic.core.exports import count_rows
    from clinic.core.exports.pack import PACK_DATASETS

    if dataset == PACK:
        return sum(count_rows(store, name, filters, today=today) for name in PACK_DATASETS)
    return count_rows(store, dataset, filters, today=today)


def write_export(
    store,
    dataset: str,
    path: Path,
    *,
    fmt: str,
    filters,
    unmasked: bool,
    actor: str,
    today,
    progress,
):
    """The chosen export written: the pack, a printed page or a dataset's table."""
    from clinic.core.exports import export_dataset
    from clinic.core.exports.follow_up_list import export_follow_up_list
    from clinic.core.exports.pack import export_pack
    from clinic.core.exports.summary import export_summary

    if dataset == PACK:
        return export_pack(
            store,
            path,
            filters=filters,
            unmasked=unmasked,
            actor=actor,
            today=today,
            progress=progress,
        )
    if fmt == "html" and dataset == "report":
        return export_summary(store, path, filters=filters, actor=actor)
    if fmt == "html":
        return export_follow_up_list(
            store, path, filters=filters, unmasked=unmasked, actor=actor, today=today
        )
    return export_dataset(
        store,
        dataset,
        path,
        filters=filters,
        fmt=fmt,
        unmasked=unmasked,
        actor=actor,
        today=today,
        progress=progress,
    )


class ExportCancelled(Exception):
    """The user pressed Esc during an export.

    Not a user error: control flow from the export's progress callback back to
    :meth:`ExportingScreen.run_export`, which says "Export cancelled" itself.
    """


class ExportingScreen(ClinicScreen):
    """A screen with the export panel (#dataset, #file, #unmasked, #export-status);
    the screen gives ``read_filters()``, the filters as typed or None."""

    def exports_dir(self) -> Path:
        """The app's exports folder, beside the database."""
        return exports_folder(self.app.db_path)

    def target_path(self, name: str) -> Path:
        return export_target(self.app.db_path, name)

    # -- the file name proposed -----------------------------------------------------
    # The dataset whose file name the file box was last given (None: none yet).
    _named_for: str | None = None

    def file_for(self, dataset: str) -> str:
        """The file ``dataset`` is exported to unless the user names another: its name
        and today's date, an Excel workbook, in the exports folder."""
        return str(self.exports_dir() / f"{dataset}-{self.app.today().isoformat()}.xlsx")

    def proposed_file(self, dataset: str) -> str:
        """:meth:`file_for`, remembered as the name the box was given."""
        self._named_for = dataset
        return self.file_for(dataset)

    @on(Select.Changed, "#dataset")
    def _dataset_chosen(self, event: Select.Changed) -> None:
        self.follow_dataset(str(event.value))

    def follow_dataset(self, dataset: str) -> None:
        """The file name follows the dataset chosen while it is the one proposed (a
        name the user typed stays): another dataset is never written over the file
        of the one before (the persons list replaced the report's workbook)."""
        box = self.query_one("#file", Input)
        before = self._named_for
        if before is not None and before != dataset and box.value == self.file_for(before):
            box.value = self.proposed_file(dataset)

    # -- who may export whole numbers -----------------------------------------------
    def apply_rights(self) -> None:
        """Whole ID numbers and phones are a coordinator's to export
        (clinic.core.users.RIGHTS): for anyone else the box is off and says so."""
        box = self.query_one("#unmasked", Checkbox)
        allowed = self.app.user is not None and self.app.user.may("export_unmasked")
        box.disabled = not allowed
        box.set_class(not allowed, "-not-allowed")  # at 80 columns not shown (report.tcss)
        if not allowed:
            box.value = False
        box.label = (
            _("Whole ID numbers and phones")
            if allowed
            else _("Whole ID numbers and phones (a coordinator only)")
        )

    def user_changed(self, user) -> None:
        self.apply_rights()

    def action_focus_file(self) -> None:
        self.query_one("#file", Input).focus()

    @on(Button.Pressed, "#export-button")
    @on(Input.Submitted, "#file")
    def _export_pressed(self) -> None:
        self.action_export()

    def action_export_dataset(self, name: str) -> None:
        """Choose ``name`` in the dataset list, then export (from the palette)."""
        self.query_one("#dataset", Select).value = name
        self.follow_dataset(name)  # now: the Changed message comes after the export began
        self.action_export()

    def action_export(self) -> None:
        filters = self.read_filters()
        if filters is None:
            return
        name = self.query_one("#file", Input).value.strip()
        if not name:
            self.notify(_("Type a file name to export to."), severity="warning")
            self.action_focus_file()
            return
        path = self.target_path(name)
        dataset = str(self.query_one("#dataset", Select).value)
        try:
            fmt = export_format(dataset, path)
        except ClinicError as exc:
            show_error(self, exc)
            self.action_focus_file()
            return
        unmasked = self.query_one("#unmasked", Checkbox).value
        if unmasked and dataset != "report":
            try:
                require(self.app.user, "export_unmasked")
            except ClinicError as exc:
                show_error(self, exc, box=None)
                return
        args = (dataset, filters, path, fmt, unmasked)
        questions = []
        if unmasked and dataset not in COUNTS_ONLY:
            questions.append(
                (
                    _(
                        "Write whole ID numbers and phones into {file}? The export will be recorded in the audit log."
                    ).format(file=path.name),
                    _("Write them whole"),
                    _("Cancel"),
                )
            )
        if path.exists():
            questions.append(
                (
                    _("{file} already exists. Replace it?").format(file=path),
                    _("Replace"),
                    _("Keep the file"),
                )
            )
        self._ask(questions, lambda: self._start_export(*args))

    def _ask(self, questions: list[tuple[str, str, str]], then) -> None:
        """Ask each question in turn; go on only if every answer is yes."""
        if not questions:
            then()
            return
        (question, yes, no), rest = questions[0], questions[1:]
        self.app.push_screen(
            ConfirmDialog(question, yes, no), lambda ok: self._ask(rest, then) if ok else None
        )

    def _start_export(self, dataset: str, filters, path: Path, fmt: str, unmasked: bool) -> None:
        status = self.query_one("#export-status")
        status.display = True
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#export-message", Static).update(
            sentence(_("Exporting to {file}… (Esc cancels)"), file=path)
        )
        self.run_export(dataset, filters, path, fmt, unmasked)

    @work(thread=True, exclusive=True, group="report-export")
    def run_export(self, dataset: str, filters, path: Path, fmt: str, unmasked: bool) -> None:
        worker = get_current_worker()
        app = self.app  # its answer is said even if the report was left meanwhile
        with app.open_store() as store:
            try:
                total = export_size(store, dataset, fmt, filters, today=app.today())
                deliver(self, self._progress, 0, total)

                def progress(n: int) -> None:
                    if worker.is_cancelled:
                        raise ExportCancelled
                    deliver(self, self._progress, n, total)

                result = write_export(
                    store,
                    dataset,
                    path,
                    filters=filters,
                    fmt=fmt,
                    unmasked=unmasked,
                    actor=app.actor,
                    today=app.today(),
                    progress=progress,
                )
            except ExportCancelled:
                app.call_from_thread(
                    self._export_done, _("Export cancelled; no file was written."), "warning"
                )
                return
            except ClinicError as exc:
                app.call_from_thread(self._export_done, exc.message, "error")
                return
            except OSError as exc:
                app.call_from_thread(
                    self._export_done,
                    _("Cannot write {file}: {reason}").format(
                        file=path, reason=exc.strerror or exc
                    ),
                    "error",
                )
                return
        app.call_from_thread(
            self._export_done,
            _("Wrote {rows} rows to {file}.").format(rows=result.rows, file=path),
            "information",
        )

    def _progress(self, n: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, n, 1), progress=n)

    def _export_done(self, message: str, severity: str) -> None:
        if still_shown(self):
            self.query_one("#export-message", Static).update(sentence(message))  # a file name
            if severity == "information":
                bar_widget = self.query_one("#progress", ProgressBar)
                bar_widget.update(progress=bar_widget.total or 0)
        self.app.notify(message, severity=severity)  # type: ignore[arg-type]

    def action_cancel_export(self) -> None:
        for worker in self.workers:
            if worker.group == "report-export" and not worker.is_finished:
                worker.cancel()
