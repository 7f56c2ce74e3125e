"""Follow-up lists to print for the next clinic in a village: one page per
village with who is due (name, household, what to follow up, the last
readings, the phone masked), from the template ``follow-ups.html.j2``.

The rows are the follow-ups dataset's (``clinic export follow-ups``), masked
unless asked; the file goes out through :func:`.delivery.deliver` (atomic,
private, audited as an export of the follow-ups dataset).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Any

from clinic.core.exports.datasets import dataset
from clinic.core.exports.delivery import ExportResult, dataset_rows, deliver
from clinic.core.files import safe_file_name, write_document
from clinic.core.reports import ReportFilters, describe_filters
from clinic.core.templates import own_templates, render
from clinic.i18n import _, current_language
from clinic.store import Store


def follow_up_villages(
    store: Store,
    filters: ReportFilters,
    *,
    unmasked: bool = False,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The open follow-ups by village: township, village, next_day, rows (each
    row a dict keyed by the dataset's column keys)."""
    keys = [c.key for c in dataset("follow-ups").columns]
    villages: list[dict[str, Any]] = []
    rows = dataset_rows(store, "follow-ups", filters, unmasked=unmasked, today=today, fmt="html")
    for values in rows:
        row = dict(zip(keys, values, strict=True))
        if not villages or (villages[-1]["township"], villages[-1]["village"]) != (
            row["township"],
            row["village"],
        ):
            villages.append(
                {
                    "township": row["township"],
                    "village": row["village"],
                    "next_day": row["next_clinic_day"],
                    "rows": [],
                }
            )
        villages[-1]["rows"].append(row)
    return villages


def follow_up_list_html(
    store: Store,
    filters: ReportFilters,
    *,
    unmasked: bool = False,
    today: dt.date | None = None,
) -> tuple[str, int]:
    """The printable list and how many persons it names."""
    today = today or dt.date.today()
    villages = follow_up_villages(store, filters, unmasked=unmasked, today=today)
    context = {
        "lang_tag": "zh-CN" if current_language() == "zh" else "en",
        "today": today.isoformat(),
        "scope": describe_filters(filters.describe())[1:],
        "villages": villages,
        "w": {
            "heading": _("Follow-ups for the next clinic"),
            "next_day": _("Next clinic day here"),
            "none_planned": _("none planned"),
            "printed": _("Printed on"),
            "name": _("Name"),
            "household": _("Household"),
            "follow_up": _("To follow up"),
            "readings": _("Last readings"),
            "phone": _("Phone"),
            "came": _("Came"),
            "due": _("Follow-up due"),
            "bp": _("BP"),
            "glucose": _("Glucose"),
            "referred": _("Referred to"),
            "none": _("No follow-ups are due."),
            "private": _(
                "Personal health information: keep this list safe and destroy it after use."
            ),
        },
    }
    html = render("follow-ups.html.j2", context, own_templates(store.path))
    return html, sum(len(v["rows"]) for v in villages)


def follow_up_list_name(village: str, today: dt.date) -> str:
    """A file name for a village's list: ``follow-ups-<village>-<date>.html``."""
    return f"follow-ups-{safe_file_name(village.replace('/', '-'), 'village')}-{today.isoformat()}.html"


def export_follow_up_list(
    store: Store,
    out: str | Path | IO[bytes],
    *,
    filters: ReportFilters | None = None,
    unmasked: bool = False,
    actor: str = "",
    today: dt.date | None = None,
    only_if_any: bool = False,
) -> ExportResult:
    """Write the follow-up lists to ``out`` (a path, or a binary stream). With
    ``only_if_any``, a list naming nobody is not written (nor audited): 0 rows are
    returned, for the caller to say there is nothing to print."""
    filters = filters or ReportFilters()
    html, n = follow_up_list_html(store, filters, unmasked=unmasked, today=today)
    if only_if_any and not n:
        return ExportResult("follow-ups", 0, unmasked, "")
    data = html.encode("utf-8")

    def write(target: str | Path | IO) -> int:
        write_document(target, data)
        return n

    return deliver(
        store,
        out,
        write,
        actor=actor,
        dataset="follow-ups",
        unmasked=unmasked,
        detail={"format": "html", "filters": filters.describe()},
    )
