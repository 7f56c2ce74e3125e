"""Commands of the planning area, one module per command family.

Importing this package (as clinic.cli.main does) attaches the commands to the
groups of clinic.cli.main:

``days``
    clinic day add / list / show / assign / status
``season``
    clinic day season
``roster``
    clinic roster, clinic export roster / ics
``pairing``
    clinic pairing pair / visit / list
``options``
    the dates, periods, --needs and JSON output the commands share
"""

from clinic.cli.planning import days, pairing, roster, season

__all__ = ["days", "pairing", "roster", "season"]
