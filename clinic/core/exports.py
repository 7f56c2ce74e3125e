"""Datasets a coordinator exports to CSV, Excel or JSON.

Each dataset is a named column list and a streamed query (clinic.store.datasets);
rows pass through a mapper that masks ID numbers and phones (unless the
coordinator asked for ``unmasked``), turns codes into words of the current
language, and never collects. Headers follow the language; JSON uses stable
English keys instead (it is read by programs, not people).

Every export is written to the audit log: who, when, which dataset, filters,
format and how many rows, and whether it was unmasked. Never the numbers
themselves.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from clinic.core.categories import CATEGORIES, category_label, sex_label, tag_label
from clinic.core.errors import FieldError
from clinic.core.figures import volunteer_figures
from clinic.core.files import app_folder, private_folder
from clinic.core.privacy import mask_id, mask_phone
from clinic.core.reports import REPORT_COLUMNS, ReportFilters, percent, resolve
from clinic.core.search import age_from_iso
from clinic.core.tabular import check_encoding, check_format, write_table
from clinic.core.vitals import FLAG_SHORT, flag_short
from clinic.i18n import N_, _, pick
from clinic.store import Store, figures
from clinic.store import datasets as datasets_q
from clinic.store.rules import Scope


@dataclass(frozen=True)
class Column:
    key: str  # JSON key, stable
    title: str  # msgid of the header
    kind: str = "text"  # text | number | id | phone


def _c(key: str, title: str, kind: str = "text") -> Column:
    return Column(key, title, kind)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str  # msgid
    columns: tuple[Column, ...]
    rows: Callable[[Store, Scope, dict], Iterator[tuple]]
    help: str  # msgid

    def headers(self, fmt: str) -> list[str]:
        if fmt == "json":
            return [c.key for c in self.columns]
        return [_(c.title) for c in self.columns]

    def text_columns(self) -> set[int]:
        return {i for i, c in enumerate(self.columns) if c.kind != "number"}


class _Labels:
    """Words for the codes in a row, looked up once per export."""

    def __init__(self, store: Store, fmt: str = "csv") -> None:
        from clinic.store.catalogues import conditions as condition_names
        from clinic.store.catalogues import specialty_names

        # Words of the language for people (CSV, Excel); JSON keeps the stable
        # codes (M, dibao, hypertension, bp_raised;glucose_diabetes, overdue)
        # for programs, whatever --lang says (issue 9 point 6).
        self.codes = fmt == "json"
        words = not self.codes
        self.conditions = {
            r["code"]: pick(r["name_zh"], r["name_en"]) for r in condition_names(store) if words
        }
        self.specialties = {
            code: pick(*names) for code, names in specialty_names(store).items() if words
        }

        # Looked up once: gettext per cell would cost a fifth of an export.
        self._sexes = {code: sex_label(code) for code in ("M", "F") if words}
        self._categories = {code: category_label(code) for code in CATEGORIES if words}
        self._flags = {code: flag_short(code) for code in FLAG_SHORT if words}

    def word(self, code: str, text: str) -> str:
        """``text`` (already translated) for people, ``code`` for JSON."""
        return code if self.codes else text

    def sex(self, code: str | None) -> str:
        return self._sexes.get(code, code) if code else ""

    def category(self, code: str | None) -> str:
        return self._categories.get(code, code) if code else ""

    def tags(self, codes: str | None) -> str:
        out = []
        for code in (codes or "").split(";"):
            if code:
                try:
                    out.append(code if self.codes else tag_label(code))
                except KeyError:
                    out.append(code)
        return ";".join(out)

    def flags(self, codes: str | None) -> str:
        if not codes:
            return ""
        return ";".join(self._flags.get(c, c) for c in codes.split(";") if c)

    def condition_list(self, codes: str | None) -> str:
        return ";".join(self.conditions.get(c, c) for c in (codes or "").split(";") if c)


def _age(birth: str | None, on: str | dt.date | None) -> int | None:
    """Age at the visit (or today): the app's one age rule, clinic.core.search.age_from_iso."""
    if not on:
        return None
    try:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on[:10])
    except ValueError:
        return None
    return age_from_iso(birth, day)


def _yes(value: Any) -> str:
    return _("yes") if value else ""


# -- the datasets ------------------------------------------------------------------


def _visit_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: _Labels = ctx["labels"]
    for r in datasets_q.visit_rows(store, scope):
        (
            date,
            town,
            village,
            org,
            name,
            sex,
            birth,
            idn,
            phone,
            hh_no,
            cat,
            tags,
            arrived,
            queue,
            sbp,
            dbp,
            pulse,
            glucose,
            fasting,
            weight,
            height,
            flags,
            conds,
            n_handouts,
            referral,
            follow_up,
            seen_by,
            uid,
        ) = r
        yield (
            date,
            town,
            village,
            org,
            name,
            lab.sex(sex),
            _age(birth, date),
            ctx["id"](idn),
            ctx["phone"](phone),
            hh_no,
            lab.category(cat),
            lab.tags(tags),
            arrived,
            lab.specialties.get(queue, queue) if queue else "",
            sbp,
            dbp,
            pulse,
            glucose,
            ""
            if fasting is None
            else (
                lab.word("fasting", _("fasting")) if fasting else lab.word("random", _("random"))
            ),
            weight,
            height,
            lab.flags(flags),
            lab.condition_list(conds),
            n_handouts,
            referral or "",
            follow_up or "",
            seen_by or "",
            uid,
        )


VISITS = Dataset(
    "visits",
    N_("Visits"),
    (
        _c("date", N_("Date")),
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("organisation", N_("Organisation")),
        _c("name", N_("Name")),
        _c("sex", N_("Sex")),
        _c("age", N_("Age"), "number"),
        _c("id_number", N_("ID number"), "id"),
        _c("phone", N_("Phone"), "phone"),
        _c("household_number", N_("Household number")),
        _c("category", N_("Household category")),
        _c("tags", N_("Tags")),
        _c("arrived_at", N_("Arrived at")),
        _c("queue", N_("Queue")),
        _c("sbp", N_("Systolic (mmHg)"), "number"),
        _c("dbp", N_("Diastolic (mmHg)"), "number"),
        _c("pulse", N_("Pulse (/min)"), "number"),
        _c("glucose", N_("Glucose (mmol/L)"), "number"),
        _c("glucose_kind", N_("Glucose fasting or random")),
        _c("weight_kg", N_("Weight (kg)"), "number"),
        _c("height_cm", N_("Height (cm)"), "number"),
        _c("flags", N_("Flags")),
        _c("conditions", N_("Conditions assessed")),
        _c("handouts", N_("Health prescriptions"), "number"),
        _c("referral_to", N_("Referred to")),
        _c("follow_up_due", N_("Follow-up due")),
        _c("seen_by", N_("Seen by")),
        _c("uid", N_("Record id")),
    ),
    _visit_rows,
    N_("One row per visit on the clinic days held in the period."),
)


def _handout_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: _Labels = ctx["labels"]
    for r in datasets_q.handout_rows(store, scope):
        (
            date,
            town,
            village,
            name,
            idn,
            cond,
            code,
            version,
            title_zh,
            title_en,
            ticked,
            given_by,
            given_at,
            uid,
        ) = r
        try:
            items = ";".join(str(i) for i in json.loads(ticked or "[]"))
        except ValueError:
            items = ticked or ""
        yield (
            date,
            town,
            village,
            name,
            ctx["id"](idn),
            lab.conditions.get(cond, cond),
            code,
            version,
            title_zh if lab.codes else pick(title_zh, title_en),  # JSON: the title as printed
            items,
            given_by or "",
            given_at,
            uid,
        )


HANDOUTS = Dataset(
    "handouts",
    N_("Health prescriptions"),
    (
        _c("date", N_("Date")),
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("name", N_("Name")),
        _c("id_number", N_("ID number"), "id"),
        _c("condition", N_("Condition")),
        _c("template", N_("Template")),
        _c("version", N_("Version")),
        _c("title", N_("Title")),
        _c("ticked", N_("Items ticked")),
        _c("given_by", N_("Given by")),
        _c("given_at", N_("Given at")),
        _c("uid", N_("Record id")),
    ),
    _handout_rows,
    N_("One row per health prescription handed out on the clinic days held in the period."),
)


def _person_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: _Labels = ctx["labels"]
    for r in datasets_q.person_rows(store, scope):
        (
            town,
            village,
            group,
            hh_no,
            cat,
            name,
            relation,
            sex,
            birth,
            idn,
            phone,
            tags,
            fd,
            conds,
            other,
            walk_in,
            n_visits,
            last,
            uid,
        ) = r
        yield (
            town or "",
            village or "",
            group,
            hh_no or "",
            lab.category(cat),
            name,
            relation or "",
            lab.sex(sex),
            birth or "",
            ctx["id"](idn),
            ctx["phone"](phone),
            lab.tags(tags),
            lab.word("yes" if fd else "", _yes(fd)),
            ";".join(x for x in (lab.condition_list(conds), other) if x),
            lab.word("yes" if walk_in else "", _yes(walk_in)),
            n_visits,
            last or "",
            uid,
        )


PERSONS = Dataset(
    "persons",
    N_("Persons"),
    (
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("group", N_("Group"), "number"),
        _c("household_number", N_("Household number")),
        _c("category", N_("Household category")),
        _c("name", N_("Name")),
        _c("relation", N_("Relation to head")),
        _c("sex", N_("Sex")),
        _c("birth_date", N_("Birth date")),
        _c("id_number", N_("ID number"), "id"),
        _c("phone", N_("Phone"), "phone"),
        _c("tags", N_("Tags")),
        _c("family_doctor", N_("Family-doctor contract")),
        _c("conditions", N_("Chronic conditions")),
        _c("walk_in", N_("Walk-in")),
        _c("visits", N_("Visits in the period"), "number"),
        _c("last_visit", N_("Last visit")),
        _c("uid", N_("Record id")),
    ),
    _person_rows,
    N_("The register of persons (filtered by village) with their visits in the period."),
)


def _household_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: _Labels = ctx["labels"]
    for r in datasets_q.household_rows(store, scope):
        town, village, group, number, head, cat, members, seen, last, cadre, uid = r
        yield (
            town,
            village,
            group,
            number or "",
            head,
            lab.category(cat),
            members,
            seen,
            lab.word("yes" if seen else "", _yes(seen)),
            last or "",
            cadre or "",
            uid,
        )


HOUSEHOLDS = Dataset(
    "households",
    N_("Households"),
    (
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("group", N_("Group"), "number"),
        _c("number", N_("Household number")),
        _c("head", N_("Head of household")),
        _c("category", N_("Household category")),
        _c("members", N_("Members"), "number"),
        _c("members_seen", N_("Members seen in the period"), "number"),
        _c("served", N_("Served")),
        _c("last_visit", N_("Last visit")),
        _c("cadre", N_("Paired cadre")),
        _c("uid", N_("Record id")),
    ),
    _household_rows,
    N_(
        "The register of households (filtered by village) and whether each was served in the period."
    ),
)


def _coverage_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    for r in figures.coverage_rows(store, scope):
        yield (
            r["township"],
            r["village"],
            r["days"],
            r["visits"],
            r["people"],
            r["registered"],
            r["served"],
            percent(r["served"], r["registered"]),
            r["registered_poor"],
            r["served_poor"],
            percent(r["served_poor"], r["registered_poor"]),
            r["last_day"] or "",
        )


COVERAGE = Dataset(
    "coverage",
    N_("Coverage"),
    (
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("days", N_("Clinic days held"), "number"),
        _c("visits", N_("Visits"), "number"),
        _c("people", N_("People seen"), "number"),
        _c("registered", N_("Households registered"), "number"),
        _c("served", N_("Households served"), "number"),
        _c("coverage_pct", N_("Coverage %"), "number"),
        _c("registered_poor", N_("Registered households in a poverty category"), "number"),
        _c("served_poor", N_("Of them served"), "number"),
        _c("coverage_poor_pct", N_("Coverage of poverty categories %"), "number"),
        _c("last_day", N_("Last clinic day")),
    ),
    _coverage_rows,
    N_("One row per village: clinic days, people seen, households registered and served."),
)


def _volunteer_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: _Labels = ctx["labels"]
    for r in volunteer_figures(store, scope).rows:
        yield (
            r["short_name"] or "",
            r["name"],
            ctx["phone"](r["phone"]),
            lab.specialties.get(r["specialty_code"], r["specialty_code"] or ""),
            r["days"],
            r["hours"],
            r["untyped"],
            r["first_day"],
            r["last_day"],
            r["uid"],
        )


VOLUNTEER_HOURS = Dataset(
    "volunteer-hours",
    N_("Volunteer hours"),
    (
        _c("organisation", N_("Organisation")),
        _c("name", N_("Name")),
        _c("phone", N_("Phone"), "phone"),
        _c("specialty", N_("Specialty")),
        _c("days", N_("Clinic days attended"), "number"),
        _c("hours", N_("Hours"), "number"),
        _c(
            "hours_not_typed",
            N_("Days without typed hours (counted at the planned length)"),
            "number",
        ),
        _c("first_day", N_("First day")),
        _c("last_day", N_("Last day")),
        _c("uid", N_("Record id")),
    ),
    _volunteer_rows,
    N_("One row per volunteer: clinic days attended and hours in the period."),
)


def _follow_up_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: _Labels = ctx["labels"]
    status_words = {"overdue": lab.word("overdue", _("overdue")), "due": lab.word("due", _("due"))}
    for r in datasets_q.follow_up_rows(store, scope, ctx["today"]):
        (
            town,
            village,
            name,
            sex,
            birth,
            idn,
            phone,
            last_visit,
            due,
            status,
            conds,
            flags,
            referral,
            next_day,
            uid,
        ) = r
        yield (
            town,
            village,
            name,
            lab.sex(sex),
            _age(birth, ctx["today"]),
            ctx["id"](idn),
            ctx["phone"](phone),
            last_visit,
            due,
            status_words[status],
            lab.condition_list(conds),
            lab.flags(flags),
            referral or "",
            next_day or "",
            uid,
        )


FOLLOW_UPS = Dataset(
    "follow-ups",
    N_("Follow-ups"),
    (
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("name", N_("Name")),
        _c("sex", N_("Sex")),
        _c("age", N_("Age"), "number"),
        _c("id_number", N_("ID number"), "id"),
        _c("phone", N_("Phone"), "phone"),
        _c("last_visit", N_("Last visit")),
        _c("due", N_("Follow-up due")),
        _c("status", N_("Status")),
        _c("conditions", N_("Conditions assessed")),
        _c("flags", N_("Flags")),
        _c("referral_to", N_("Referred to")),
        _c("next_clinic_day", N_("Next clinic day in the village")),
        _c("uid", N_("Record id")),
    ),
    _follow_up_rows,
    N_(
        "Follow-ups still open (the person's latest visit asked for one), due and overdue, by village; --to bounds the due date."
    ),
)


def _talk_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    for r in figures.talk_rows(store, scope):
        yield (
            r["date"],
            r["township"],
            r["village"],
            r["organiser"] or "",
            r["topic"],
            r["speaker"],
            r["short_name"] or "",
            r["attendees"],
            r["materials"],
            r["uid"],
        )


TALKS = Dataset(
    "talks",
    N_("Health talks"),
    (
        _c("date", N_("Date")),
        _c("township", N_("Township")),
        _c("village", N_("Village")),
        _c("organiser", N_("Organising organisation")),
        _c("topic", N_("Topic")),
        _c("speaker", N_("Speaker")),
        _c("speaker_organisation", N_("Speaker's organisation")),
        _c("attendees", N_("Attendees"), "number"),
        _c("materials", N_("Materials handed out")),
        _c("uid", N_("Record id")),
    ),
    _talk_rows,
    N_("One row per health talk held on a clinic day: topic, speaker, attendees, materials."),
)


def _report_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    from clinic.core.reports import report_for_scope, report_rows

    yield from report_rows(report_for_scope(store, scope, ctx["filters"]))


REPORT = Dataset(
    "report",
    N_("Report"),
    (
        _c("section", REPORT_COLUMNS[0]),
        _c("item", REPORT_COLUMNS[1]),
        _c("number", REPORT_COLUMNS[2], "number"),
        _c("percent", REPORT_COLUMNS[3], "number"),
    ),
    _report_rows,
    N_("The report's figures as a table (section, item, number, percent): counts only."),
)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        REPORT,
        VISITS,
        HANDOUTS,
        PERSONS,
        HOUSEHOLDS,
        COVERAGE,
        VOLUNTEER_HOURS,
        FOLLOW_UPS,
        TALKS,
    )
}


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise FieldError(
            _("Unknown dataset {name}; use one of: {choices}.").format(
                name=name, choices=", ".join(DATASETS)
            )
        ) from None


@dataclass
class ExportResult:
    dataset: str
    rows: int
    unmasked: bool
    target: str


def exports_folder(db_path: str | Path) -> Path:
    """Where the app's exports go unless the user names another folder:
    ``exports/`` beside the database, never the folder the app started in."""
    return Path(db_path).expanduser().absolute().parent / "exports"


def export_target(db_path: str | Path, name: str) -> Path:
    """The file a typed name means: a relative name is in :func:`exports_folder`."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else exports_folder(db_path) / path


def dataset_rows(
    store: Store,
    name: str,
    filters: ReportFilters | None = None,
    *,
    unmasked: bool = False,
    today: dt.date | None = None,
    fmt: str = "csv",
) -> Iterator[tuple]:
    """The rows of a dataset, mapped and masked, as a stream (tests sum these).
    ``fmt`` "json" keeps flag codes instead of words."""
    ds = dataset(name)
    filters = filters or ReportFilters()
    scope = resolve(store, filters)
    ctx = {
        "filters": filters.describe(),
        "labels": _Labels(store, fmt),
        "id": (lambda v: v or "") if unmasked else mask_id,
        "phone": (lambda v: v or "") if unmasked else mask_phone,
        "today": (today or dt.date.today()).isoformat(),
    }
    return ds.rows(store, scope, ctx)


def count_rows(
    store: Store, name: str, filters: ReportFilters | None = None, *, today: dt.date | None = None
) -> int:
    """How many rows an export will write (for a progress bar): a count query
    for the large datasets, a pass over the small ones."""
    filters = filters or ReportFilters()
    if name == "visits":
        return datasets_q.count_visits(store, resolve(store, filters))
    if name == "handouts":
        return datasets_q.count_handouts(store, resolve(store, filters))
    if name in ("persons", "households"):
        return datasets_q.count_register(store, resolve(store, filters), name)
    return sum(1 for _row in dataset_rows(store, name, filters, today=today))


def export_dataset(
    store: Store,
    name: str,
    out: str | Path | IO,
    *,
    filters: ReportFilters | None = None,
    fmt: str = "csv",
    encoding: str = "utf-8-sig",
    unmasked: bool = False,
    actor: str = "",
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write dataset ``name`` to ``out``; record the export in the audit log."""
    ds = dataset(name)
    fmt = check_format(fmt)
    encoding = check_encoding(encoding)
    filters = filters or ReportFilters()
    rows: Iterable[tuple] = dataset_rows(
        store, name, filters, unmasked=unmasked, today=today, fmt=fmt
    )
    return deliver(
        store,
        out,
        lambda target: write_table(
            rows,
            ds.headers(fmt),
            target,
            fmt=fmt,
            encoding=encoding,
            text_columns=ds.text_columns(),
            progress=progress,
            sheet_title=_(ds.title),
        ),
        actor=actor,
        dataset=name,
        unmasked=unmasked,
        detail={"format": fmt, "filters": filters.describe()},
    )


def deliver(
    store: Store,
    out: str | Path | IO,
    write: Callable[[str | Path | IO], int],
    *,
    actor: str,
    dataset: str,
    unmasked: bool,
    detail: dict,
) -> ExportResult:
    """The one way an export reaches a user: written, then recorded; both or neither.

    ``write(out)`` writes the file (atomically, through
    :func:`clinic.core.files.write_atomic`) or the stream and returns how many
    rows it wrote. If the audit record cannot be written the file is taken
    back: no export exists without its record.
    """
    if isinstance(out, str | Path):
        folder = exports_folder(store.path)
        if folder in Path(out).absolute().parents:
            # The app's own folder (0700, even if an earlier version made it
            # wider); a subfolder named under it is made, private.
            app_folder(folder)
            private_folder(Path(out).absolute().parent)
    n = write(out)
    target = Path(out).name if isinstance(out, str | Path) else "-"
    try:
        record_export(
            store, actor=actor, dataset=dataset, rows=n, unmasked=unmasked, target=target, **detail
        )
    except BaseException:
        if isinstance(out, str | Path):
            Path(out).unlink(missing_ok=True)
        raise
    return ExportResult(dataset=dataset, rows=n, unmasked=unmasked, target=target)


def record_export(
    store: Store,
    *,
    actor: str,
    dataset: str,
    rows: int,
    unmasked: bool,
    target: str,
    **detail: Any,
) -> None:
    """One audit_log row per export: what, where, which filters, how many rows;
    never a value from the rows themselves."""
    from clinic.store import audit

    record = {"dataset": dataset, **detail, "file": target, "unmasked": unmasked}
    audit.record(store, actor, "export_unmasked" if unmasked else "export", record, rows)
