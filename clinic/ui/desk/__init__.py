"""The clinic desk: the screens volunteers live in on a clinic day.

One screen or dialog per module; every one of them is styled by ``desk.tcss``
beside them (``CSS_PATH`` is resolved next to the class's own file). Nothing is
imported here, so that ``clinic.ui.desk.fields`` (used by the app for every key)
does not load the desk's screens.

- ``screen``: ``DeskScreen``, the day and the volunteers at the desk, the layout.
- ``search``: its left half: search, results, check-in, walk-ins (``DeskSearch``).
- ``queue``: its right half: the day's queue and its states (``DeskQueue``).
- ``fields``: inputs and tables that keep up with paste and scanner speed (``take_now``).
- ``pickers``: choosing the clinic day, a walk-in day, who is at the desk.
- ``consent``: the consent dialog (PIPL).
- ``walk_in``: the walk-in form.
- ``visit``: the visit form (``VisitScreen``): fields, drafts, flags, finishing.
- ``visit_panels``: what the visit form shows beside its fields (``VisitPanels``).
- ``handout``: health prescriptions at a visit and their sheets.
- ``stock``: the printed sheets brought and left.
- ``summary``: the end-of-day summary (F9).
"""
