"""The coordinator's planning desk: clinic days, who serves on them, the roster, villages, pairing.

Rules live here, shared by the TUI and the CLI; callers use the services this
package exposes (``from clinic.core import planning as p; p.assign(...)``).
A manual assignment and the optimiser are judged by the same function
(:func:`clinic.core.planning.roster_rules.blocker`), so a refusal on screen and
an unfilled place in a roster always agree.

The modules, from the ground up (each imports only those above it):

``labels``
    status codes of days and assignments, their labels, ISO dates and HH:MM times.
``availability``
    when a volunteer can serve: weekday words ("周末;节假日") and the holidays flag.
``needs``
    specialties and the places a day needs per specialty, filled and open.
``lookups``
    a village, organisation, volunteer or household by what was typed; a day by number.
``roster_rules``
    the optimiser's model and its one hard rule, ``blocker``; scoring and explaining a plan.
``roster_solver``
    the optimal roster as a mixed-integer programme (HiGHS).
``assignments``
    assigning a volunteer, an assignment's status and hours, the team of a day.
``days``
    the clinic-day form's checks, adding and editing a day, its status, day lists.
``roster_plan``
    a roster proposed for a period from the database, its summary, applying it, candidates.
``schedules``
    what the roster export and a volunteer's .ics calendar contain.
``schedule_exports``
    the roster and calendars written through the export pipeline (audited, atomic).
``volunteers``
    saving a volunteer, a volunteer's record, the register's reads.
``volunteer_import``
    importing a volunteer roster from CSV or Excel.
``villages``
    villages by need: the overview and where the next clinic day should go.
``pairing``
    households paired with village cadres, the cadre's weekend list.
``season``
    a season of clinic days proposed over weeks and added in one go.
"""

# The public services, re-exported so callers need not know which module holds
# each; ``__all__`` tells the type checker they are re-exported on purpose.
from clinic.core.planning.assignments import (
    SIGNED_UP,
    AssignmentCheck,
    as_rvolunteer,
    assign,
    attendance,
    check_assignment,
    parse_hours,
    remove_assignment,
    set_assignment,
    set_hours,
    signed_up,
    team_of_day,
)
from clinic.core.planning.days import (
    DayInput,
    add_day,
    check_day,
    check_duplicate,
    day_edit,
    day_fields,
    edit_day,
    list_days,
    save_day_edit,
    set_day_status,
    team_problems,
    upcoming_days,
)
from clinic.core.planning.labels import (
    ASSIGNMENT_LABELS,
    ASSIGNMENT_STATUSES,
    DAY_LABELS,
    DAY_STATUSES,
    ENDED_DAY_STATUSES,
    assignment_label,
    day_status_label,
    iso,
    parse_dates,
    parse_time,
)
from clinic.core.planning.lookups import (
    find_household,
    find_organisation,
    find_village,
    find_volunteer,
    get_day,
)
from clinic.core.planning.needs import (
    DEFAULT_NEEDS,
    NeedLine,
    day_needs,
    default_needs,
    default_needs_text,
    format_needs,
    needs_of_day,
    parse_needs,
    parse_specialty,
    specialty_index,
    specialty_label,
    specialty_name,
)
from clinic.core.planning.pairing import (
    flag_label,
    follow_up_text,
    log_pairing_visit,
    next_weekend,
    pair,
    weekend_list,
)
from clinic.core.planning.roster_plan import (
    Candidate,
    RosterPlan,
    apply_roster,
    candidates,
    plan_roster,
    roster_spread,
    roster_summary,
    volunteer_labels,
)
from clinic.core.planning.schedules import (
    ROSTER_HEADERS,
    ROSTER_TEXT_COLUMNS,
    roster_table,
    volunteer_ics,
    volunteers_with_days,
)
from clinic.core.planning.season import (
    SeasonDay,
    SeasonPlan,
    add_season,
    default_season_end,
    parse_weekdays,
    propose_season,
)
from clinic.core.planning.villages import (
    VillageRank,
    village_overview,
    where_next,
)
from clinic.core.planning.volunteers import (
    VolunteerInput,
    VolunteerSummary,
    save_volunteer,
    volunteer_record,
    volunteer_summary,
)

__all__ = [
    "ASSIGNMENT_LABELS",
    "ASSIGNMENT_STATUSES",
    "AssignmentCheck",
    "Candidate",
    "DAY_LABELS",
    "DAY_STATUSES",
    "ENDED_DAY_STATUSES",
    "DEFAULT_NEEDS",
    "DayInput",
    "NeedLine",
    "ROSTER_HEADERS",
    "ROSTER_TEXT_COLUMNS",
    "RosterPlan",
    "SIGNED_UP",
    "SeasonDay",
    "SeasonPlan",
    "VillageRank",
    "VolunteerInput",
    "VolunteerSummary",
    "add_day",
    "add_season",
    "apply_roster",
    "as_rvolunteer",
    "assign",
    "assignment_label",
    "attendance",
    "candidates",
    "check_assignment",
    "check_day",
    "check_duplicate",
    "day_needs",
    "day_status_label",
    "default_needs",
    "default_needs_text",
    "default_season_end",
    "day_edit",
    "day_fields",
    "edit_day",
    "save_day_edit",
    "find_household",
    "find_organisation",
    "find_village",
    "find_volunteer",
    "flag_label",
    "follow_up_text",
    "format_needs",
    "get_day",
    "iso",
    "list_days",
    "log_pairing_visit",
    "needs_of_day",
    "next_weekend",
    "pair",
    "parse_dates",
    "parse_hours",
    "parse_needs",
    "parse_specialty",
    "parse_time",
    "parse_weekdays",
    "plan_roster",
    "propose_season",
    "remove_assignment",
    "roster_spread",
    "roster_summary",
    "roster_table",
    "save_volunteer",
    "set_assignment",
    "set_day_status",
    "set_hours",
    "signed_up",
    "specialty_index",
    "specialty_label",
    "specialty_name",
    "team_of_day",
    "team_problems",
    "upcoming_days",
    "village_overview",
    "volunteer_ics",
    "volunteer_labels",
    "volunteer_record",
    "volunteer_summary",
    "volunteers_with_days",
    "weekend_list",
    "where_next",
]
