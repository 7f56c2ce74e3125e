"""The options and output the planning commands share: dates and periods, --needs, JSON.

Commands call :func:`today` through this module, so a test can fix the date in one place.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from clinic.i18n import _


def echo_json(data: object, labels: bool = False) -> None:
    """JSON that does not change with --lang: codes, not words (unless --labels)."""
    from clinic.core.figures import machine_output

    data = machine_output(data, labels=labels)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    from clinic.core.planning import iso

    return iso(value)


def period_options(last_day_help: str):
    """``--from D`` and ``--to D`` of a command covering a period; ``last_day_help``
    says what the last day is when --to is left out."""

    def wrap(fn):
        fn = click.option("--to", "date_to", callback=date_option, metavar="D", help=last_day_help)(
            fn
        )
        return click.option(
            "--from",
            "date_from",
            callback=date_option,
            metavar="D",
            help=_("First day (default: today)."),
        )(fn)

    return wrap


def today() -> dt.date:
    return dt.date.today()


def period(date_from: str | None, date_to: str | None, days: int = 91) -> tuple[str, str]:
    start = date_from or today().isoformat()
    end = date_to or (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()
    return start, end


def needs_option(store, text: str | None) -> dict[str, int]:
    """--needs as given, or the usual team when it was left out (an empty list is refused)."""
    from clinic.core import planning as p

    return p.default_needs(store) if text is None else p.parse_needs(store, text)
