"""What the visit form shows beside its fields: the banner, the person, their history, handouts.

A base of ``VisitScreen`` (clinic.ui.desk.visit), which loads ``self.ctx``
(``desk.visit_context``) and ``self.conditions``; only reading and showing here.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static

from clinic.core import desk
from clinic.core import vitals as V
from clinic.core.categories import category_label, tag_label
from clinic.i18n import _, join_list
from clinic.ui.base import ClinicScreen
from clinic.ui.labels import sex_short
from clinic.ui.prose import prose
from clinic.ui.text import fill, lines, sentence, shown


def _shown_as(content: Content | Text | str) -> tuple:
    """What a panel shows, comparable: the text and its styles."""
    if isinstance(content, str):
        return (content, ())
    return (content.plain, tuple(content.spans))


class VisitPanels(ClinicScreen):
    """The read-only panels of the visit form (see the module)."""

    def __init__(self) -> None:
        super().__init__()
        self._panels: dict[str, tuple] = {}  # selector -> what its Static shows

    def show(self, selector: str, content: Content | Text | str) -> None:
        """``content`` in the Static ``selector``, unless it shows that already: each
        update lays the whole form out again, and the flags line is made anew at every
        key typed in a reading, most often the same."""
        shown_as = _shown_as(content)
        if self._panels.get(selector) != shown_as:
            self._panels[selector] = shown_as
            self.query_one(selector, Static).update(prose(content))  # Chinese lines

    def banner(self) -> Content:
        """The person whose form this is, unmistakably, and whether the visit is done."""
        p, visit = self.ctx["person"], self.ctx["visit"]
        age = "" if self.ctx["age"] is None else " " + _("{age} y").format(age=self.ctx["age"])
        who = f"{shown(p['name'])}  {sex_short(p['sex'])}{age}  {shown(p['village'] or '')}"
        text = fill("[b reverse] $visit [/]", visit=_("Visit: {who}").format(who=who))
        if visit["state"] == "done":
            done_at = (visit.get("done_at") or "")[11:16]
            done = (
                _("Done at {time}: a change asks first").format(time=done_at or "-")
                if self.locked
                else _("Done at {time}: being changed").format(time=done_at or "-")
            )
            text += fill("  [b black on yellow] $done [/]", done=done)
        if getattr(self, "read_only", False):
            text += fill(
                "  [b black on yellow] $note [/]",
                note=_(
                    "Read only: a clinician (doctor or nurse) signs in (F12) "
                    "to record vitals and consults"
                ),
            )
        return text

    def show_person(self) -> None:
        p, day = self.ctx["person"], self.ctx["day"]
        on_record = dict(self.conditions)
        household = _("Household")
        age = "" if self.ctx["age"] is None else _("{age} y").format(age=self.ctx["age"])
        parts: list = [
            fill("[b]$name[/b]  $rest", name=p["name"], rest=f"{sex_short(p['sex'])}  {age}"),
            f"{shown(p['township'] or '')} {shown(p['village'] or day['village'])}  {household} {shown(p['household_number'] or '-')}"
            + (f" ({category_label(p['category'])})" if p["category"] else ""),
            _("Tags: {tags}").format(tags=join_list(tag_label(t) for t in self.ctx["tags"]) or "-"),
            _("Chronic conditions: {list}").format(
                list=join_list(shown(on_record.get(c, c)) for c in self.ctx["conditions_on_record"])
                or "-"
            ),
            _("Visit on {date}").format(date=day["date"]),
        ]
        consent = self.ctx["consent"]
        if consent:
            who = (
                _("self")
                if consent["signed_by"] == "self"
                else _("proxy {name}").format(name=shown(consent["proxy_name"] or ""))
            )
            parts.append(_("Consent: {date}, {who}").format(date=consent["given_at"][:10], who=who))
        self.show("#person", lines(*parts))

    def show_history(self) -> None:
        table = self.query_one("#history", DataTable)
        table.clear()  # the form is reused: the last person's visits go
        table.scroll_home(animate=False)
        for h in self.ctx["history"]:
            bp = f"{h['sbp']}/{h['dbp']}" if h["sbp"] else "-"
            glucose = (
                "-"
                if h["glucose"] is None
                else f"{h['glucose']:g}" + (_(" fasting") if h["glucose_fasting"] else "")
            )
            flags = " ".join(V.flag_short(f.code) for f in V.parse_flags(h["flags"]))
            table.add_row(h["date"], bp, glucose, flags)
        if not self.ctx["history"]:
            table.add_row(_("first visit"), "", "", "")

    def show_handouts(self, rows: list[dict] | None = None) -> None:
        """The handouts given at this visit: as loaded with the form, or read again."""
        if rows is None:
            rows = desk.visit_handouts(self.app.store, self.visit_id)
        from clinic.i18n import pick

        text = (
            _("Handed out: {list}").format(
                list=join_list(shown(pick(r["title_zh"], r["title_en"])) for r in rows)
            )
            if rows
            else _("No health prescription yet")
            if getattr(self, "read_only", False)  # Ctrl+R is not theirs: not named
            else _("No health prescription yet (Ctrl+R)")
        )
        self.show("#handouts", sentence(text))
