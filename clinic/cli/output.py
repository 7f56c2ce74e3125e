"""What commands print besides their words: JSON that does not change with
``--lang``, and a progress bar on stderr."""

from __future__ import annotations

import json

import click

from clinic.cli.streams import stderr, stderr_is_terminal


def echo_json(data: object) -> None:
    """JSON that does not change with --lang: codes, not words."""
    from clinic.core.figures import machine_output

    click.echo(json.dumps(machine_output(data), ensure_ascii=False, indent=2, default=str))


def progress_bar(label: str):
    """A click progress bar on stderr, fed by (done, total) callbacks."""
    state: dict = {}

    def update(done: int, total: int) -> None:
        if not stderr_is_terminal():
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=stderr())
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, close
