"""The roster on the database: proposing an optimal plan for a period, its summary
and spread, applying it; the candidates for one open place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from clinic.core import holidays as public_holidays
from clinic.core.errors import InputError
from clinic.core.planning import roster_rules, roster_solver
from clinic.core.planning.assignments import as_rvolunteer, roster_day, weekday_name
from clinic.core.planning.lookups import get_day
from clinic.core.planning.needs import specialty_label, specialty_name
from clinic.i18n import _, current_language, ngettext
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import days as days_q
from clinic.store import volunteers as volunteers_q
from clinic.store.rules import FILLS_PLACE


@dataclass
class RosterPlan:
    date_from: str
    date_to: str
    result: roster_rules.RosterResult
    days: dict[int, dict]  # day rows by id
    volunteers: dict[int, dict]
    released: list[int]  # unconfirmed roster assignments to be replaced (--replan)
    loads_before: Counter = field(default_factory=Counter)  # days in the period already held

    def loads_after(self) -> dict[int, int]:
        """Days in the period of every active volunteer once the plan is applied (existing
        assignments included): the fairness figures speak of everyone, not only of those
        who could fill an open place."""
        after = {
            v["id"]: self.loads_before[v["id"]] for v in self.volunteers.values() if v["active"]
        }
        for proposal in self.result.proposals:
            after[proposal.volunteer_id] = after.get(proposal.volunteer_id, 0) + 1
        return after

    def to_json(self, store: Store) -> dict:
        r = self.result
        after = self.loads_after()
        most = max(after.values(), default=0)
        labels = volunteer_labels(list(self.volunteers.values()))
        return {
            "from": self.date_from,
            "to": self.date_to,
            "optimal": r.optimal,
            "open_places": r.open_places,
            "filled": r.filled,
            "max_days_per_volunteer": r.max_load,
            "sum_of_squares": r.sum_squares,
            "organising_members": r.preferred,
            "seconds": round(r.seconds, 3),
            "replaced": len(self.released),
            # How many active volunteers serve 0, 1, 2 ... days in the period (existing included).
            "days_per_volunteer": {str(k): n for k, n in sorted(Counter(after.values()).items())},
            "volunteers_counted": len(after),
            "most_days": most,
            "most_days_volunteers": sorted(labels[i] for i, n in after.items() if n == most)
            if most
            else [],
            "warnings": [w]
            if (w := public_holidays.coverage_warning(self.date_from, self.date_to))
            else [],
            "assignments": [
                {
                    "day_id": p.day_id,
                    "date": self.days[p.day_id]["date"],
                    "village": self.days[p.day_id]["village"],
                    "role": p.role,
                    "role_name": specialty_label(store, p.role),
                    "volunteer_id": p.volunteer_id,
                    "volunteer": self.volunteers[p.volunteer_id]["name"],
                    # Namesakes told apart (organisation, specialty or masked phone).
                    "volunteer_label": labels[p.volunteer_id],
                    "organising_member": p.preferred,
                }
                for p in r.proposals
            ],
            "unfilled": [
                {
                    "day_id": u.day_id,
                    "date": u.date,
                    "village": self.days[u.day_id]["village"],
                    "role": u.role,
                    "role_name": specialty_label(store, u.role),
                    "places": u.count,
                    "candidates": u.candidates,
                    "reasons": u.reasons,
                    "why": u.explain(specialty_label(store, u.role)),
                }
                for u in r.unfilled
            ],
        }


def plan_roster(
    store: Store,
    date_from: str,
    date_to: str,
    *,
    replan: bool = False,
    time_limit: float | None = 60.0,
) -> RosterPlan:
    """The optimal roster for the open places of the clinic days in the period (nothing written).

    Existing assignments are never moved; with ``replan`` the unconfirmed
    invitations an earlier roster made (status invited, source roster) are
    planned again. Done and cancelled days are left alone.
    """
    if date_to < date_from:
        raise InputError(
            _("The period ends before it starts ({start} to {end}).").format(
                start=date_from, end=date_to
            )
        )
    day_rows = [
        d
        for d in days_q.days_between(store, date_from, date_to)
        if d["status"] in ("planned", "confirmed")
    ]
    needs = days_q.needs_of(store, [d["id"] for d in day_rows])
    existing = assignments_q.assignments_between(store, date_from, date_to)
    released = [
        a["id"]
        for a in existing
        if replan
        and a["status"] == "invited"
        and a["source"] == "roster"
        and a["clinic_day_id"] in needs
    ]
    released_set = set(released)
    kept = [a for a in existing if a["id"] not in released_set]
    holidays = public_holidays.holidays_between(date_from, date_to)
    month_from, month_to = date_from[:7], date_to[:7]
    loads = assignments_q.month_loads(store, month_from, month_to)
    for a in existing:  # released invitations do not count against the monthly limit
        if a["id"] in released_set:
            loads[a["volunteer_id"]][a["date"][:7]] -= 1
    unavailable = volunteers_q.all_unavailable(store, date_from, date_to)
    vol_rows = {v["id"]: v for v in volunteers_q.volunteers(store)}
    busy: dict[int, set[str]] = {}
    period_load: Counter = Counter()
    for a in kept:
        if a["status"] != "declined":
            busy.setdefault(a["volunteer_id"], set()).add(a["date"])
            period_load[a["volunteer_id"]] += 1
    vols = [
        as_rvolunteer(
            v,
            unavailable=unavailable.get(v["id"], ()),
            busy=busy.get(v["id"], ()),
            loads=loads.get(v["id"]),
            period_load=period_load[v["id"]],
        )
        for v in vol_rows.values()
    ]
    by_day: dict[int, list[dict]] = {}
    for a in kept:
        by_day.setdefault(a["clinic_day_id"], []).append(a)
    days = []
    for d in day_rows:
        rows = by_day.get(d["id"], [])
        taken = Counter(a["role"] for a in rows if a["status"] in FILLS_PLACE)
        days.append(
            roster_rules.RDay(
                id=d["id"],
                date=d["date"],
                organisation_id=d["organisation_id"],
                holiday=d["date"] in holidays,
                open={
                    role: n - taken[role]
                    for role, n in needs[d["id"]].items()
                    if n - taken[role] > 0
                },
                on_day=frozenset(a["volunteer_id"] for a in rows if a["status"] != "declined"),
                declined=frozenset(a["volunteer_id"] for a in rows if a["status"] == "declined"),
            )
        )
    result = roster_solver.solve(vols, days, time_limit=time_limit)
    return RosterPlan(
        date_from, date_to, result, {d["id"]: d for d in day_rows}, vol_rows, released, period_load
    )


def roster_summary(data: dict) -> str:
    """ "5 of 7 open places filled; at most 2 days per volunteer; 2 places to members of the
    organising organisation (0.1 s)." with singular and plural right; with no open place, or
    none that can be filled, it says so instead of "at most 0 days"."""
    if not data["open_places"]:
        return _("No open places in this period: every clinic day has the team it asks for.")
    parts = [
        _("{filled} of {open} open places filled").format(
            filled=data["filled"], open=data["open_places"]
        )
    ]
    if data["filled"]:
        mx, pref = data.get("most_days", data["max_days_per_volunteer"]), data["organising_members"]
        parts += [
            ngettext(
                "at most {max} day per volunteer", "at most {max} days per volunteer", mx
            ).format(max=mx),
            ngettext(
                "{pref} place to members of the organising organisation",
                "{pref} places to members of the organising organisation",
                pref,
            ).format(pref=pref),
        ]
    else:
        parts.append(_("nobody can fill them (why below)"))
    return _("; ").join(parts) + _(" ({seconds} s).").format(seconds=data["seconds"])


def roster_spread(data: dict) -> str:
    """Who the days per volunteer are about (every active volunteer, days already assigned
    included) and who serves the most: "Days per volunteer in the period (all 16 active
    volunteers, days already assigned included): 5 × 0, 8 × 1, 2 × 2; most: 张华, 李明, 2 days." """
    if not data["days_per_volunteer"]:
        return ""
    spread = _(", ").join(
        _("{n} × {days}").format(n=n, days=k) for k, n in data["days_per_volunteer"].items()
    )
    most = data["most_days_volunteers"]
    if most and len(most) <= 5:
        spread += ngettext(
            "; most: {names}, {n} day", "; most: {names}, {n} days", data["most_days"]
        ).format(
            names=("、" if current_language() == "zh" else ", ").join(most), n=data["most_days"]
        )
    return ngettext(
        "Days per volunteer in the period (the {n} active volunteer, days already assigned "
        "included): {spread}.",
        "Days per volunteer in the period (all {n} active volunteers, days already assigned "
        "included): {spread}.",
        data["volunteers_counted"],
    ).format(n=data["volunteers_counted"], spread=spread)


def volunteer_labels(rows: list[dict]) -> dict[int, str]:
    """Volunteer id → the name to show, namesakes told apart as a coordinator would: by
    organisation or specialty where those differ, else by masked phone (138****5678), else by
    number (#12): "王芳 (民进, General practice)". A name nobody shares is shown alone."""
    from clinic.core.privacy import mask_phone

    by_name: dict[str, list[dict]] = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    labels: dict[int, str] = {}
    for name, group in by_name.items():
        if len(group) == 1:
            labels[group[0]["id"]] = name
            continue
        pickers = [
            lambda r: r.get("organisation") or "",
            lambda r: specialty_name(r),
        ]
        varying = [f for f in pickers if len({f(r) for r in group}) > 1]
        details = {r["id"]: [f(r) for f in varying if f(r)] for r in group}
        seen = Counter(tuple(d) for d in details.values())
        for r in group:
            extra = details[r["id"]]
            if seen[tuple(extra)] > 1 or not extra:
                extra = [*extra, mask_phone(r.get("phone")) or f"#{r['id']}"]
            labels[r["id"]] = _("{name} ({details})").format(name=name, details=_(", ").join(extra))
    return labels


def apply_roster(
    store: Store,
    date_from: str,
    date_to: str,
    *,
    replan: bool = False,
    time_limit: float | None = 60.0,
) -> RosterPlan:
    """Plan, then write in one transaction that matches the database as it is now.

    The solve runs outside the write lock (desks keep working meanwhile); if
    anyone committed during it, the plan is made again inside the transaction.
    """
    version = store.data_version()
    plan = plan_roster(store, date_from, date_to, replan=replan, time_limit=time_limit)
    with store.transaction():
        if store.data_version() != version:
            plan = plan_roster(store, date_from, date_to, replan=replan, time_limit=time_limit)
        assignments_q.delete_assignments(store, plan.released)
        for p in plan.result.proposals:
            assignments_q.insert_assignment(
                store, p.day_id, p.volunteer_id, p.role, status="invited", source="roster"
            )
    return plan


@dataclass
class Candidate:
    volunteer: dict
    refusal: str | None  # reason code, None when free
    reason: str  # the refusal in words, or ""
    matches: bool  # the volunteer's specialty is the role


def candidates(
    store: Store, day_id: int, role: str | None, name: str = "", limit: int = 200
) -> list[Candidate]:
    """Every volunteer judged for one clinic day: free ones with the role's specialty first."""
    day = get_day(store, day_id)
    rd = roster_day(store, day)
    loads = assignments_q.month_loads(store, day["date"][:7], day["date"][:7])
    unavailable = volunteers_q.all_unavailable(store, day["date"], day["date"])
    busy = {
        a["volunteer_id"]
        for a in assignments_q.assignments_between(store, day["date"], day["date"])
        if a["status"] != "declined" and a["clinic_day_id"] != day_id
    }
    out = []
    for v in volunteers_q.volunteers(store, name=name or None):
        rv = as_rvolunteer(
            v,
            unavailable=unavailable.get(v["id"], ()),
            busy=[day["date"]] if v["id"] in busy else (),
            loads=loads.get(v["id"]),
        )
        code = roster_rules.blocker(rv, rd, role, check_specialty=False)
        reason = roster_rules.reason_text(code) if code else ""
        if code == "weekday":
            reason = _("does not serve on {weekday}s").format(weekday=weekday_name(day["date"]))
        out.append(Candidate(v, code, reason, role is None or v["specialty_code"] == role))
    out.sort(
        key=lambda c: (
            c.refusal is not None,
            not c.matches,
            c.volunteer["days"],
            c.volunteer["name"],
        )
    )
    return out[:limit]
