"""The coordinator's planning screens, one screen or dialog per module.

``days_screen``
    clinic days (F5): month calendar and list, a day's needs and team, the roster.
``month_calendar``
    the month calendar widget beside the list of days.
``day_form``
    add or edit a clinic day.
``assign_dialog``
    put a volunteer on a clinic day.
``hours_dialog``
    the hours a volunteer served on a day.
``roster_preview``
    the optimal roster for a month, previewed before it is applied.
``season_dialog``
    a season of clinic days proposed over weeks.
``volunteers_screen``
    the volunteers register with filters, schedules and hours.
``volunteer_form``
    add or edit a volunteer.
``weekend_list``
    a paired cadre's weekend list of households.
``villages_screen``
    villages by need and where the next clinic day should go.
``widgets``
    small pieces the planning screens share (the highlighted row's key, a form's footer).

The stylesheets (``planning.tcss`` shared by the three screens, one per screen
beside it) live here too: a screen's ``CSS_PATH`` is relative to its module.
"""
