"""``clinic serve``: several desks at one clinic, each in a browser on the clinic's Wi-Fi.

textual-serve (the extra ``clinic[serve]``) runs one app process per browser
tab. Each runs ``clinic --db DB --lang L`` with nobody signed in: every tab
signs in on the app's own sign-in screen, as whoever sits at that desk. The
server itself is started by a coordinator (clinic.cli.access).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.core.errors import ClinicError
from clinic.i18n import _

DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 8000


# Who signed in to start the server must not be who every browser tab is.
HIDDEN_FROM_DESKS = ("CLINIC_USER", "CLINIC_PIN", "CLINIC_NEW_PIN")


def desk_command(db_path: Path, lang: str) -> str:
    """The shell command textual-serve runs for each tab: this clinic, on the same
    database and in the same language, with no ``--user``. (A Ctrl+C at the
    server's terminal reaches the tabs' processes too: Textual's web driver
    then quits the app cleanly, as the server's stop would.)"""
    args = [sys.executable, "-m", "clinic", "--db", str(db_path.resolve()), "--lang", lang]
    return subprocess.list2cmdline(args) if os.name == "nt" else shlex.join(args)


def hide_the_signed_in_user() -> None:
    """Take the server's user out of the environment every tab inherits
    (textual-serve hands each app process a copy of the server's): each tab
    signs in on its own sign-in screen."""
    for name in HIDDEN_FROM_DESKS:
        os.environ.pop(name, None)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other browsers can reach (not loopback).

    The address of the default route (a UDP socket sends nothing when it
    connects), then every address the host name resolves to."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    except OSError:
        pass  # no network at all: the host name's addresses below, if any
    finally:
        probe.close()
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    found.extend(str(info[4][0]) for info in infos)
    usable = [a for a in found if not ipaddress.ip_address(a).is_loopback]
    return list(dict.fromkeys(usable))


def addresses_to_open(host: str, port: int) -> list[str]:
    """The addresses to type into a browser: every LAN address when serving on
    all of them (0.0.0.0), else the one address given."""
    if host in ("0.0.0.0", ""):
        hosts = [*lan_addresses(), "127.0.0.1"]
    else:
        hosts = [f"[{host}]" if ":" in host else host]
    return [f"http://{h}:{port}" for h in hosts]


def _server_class():
    try:
        from clinic.cli.web import DeskServer
    except ImportError as exc:
        raise ClinicError(
            _(
                "Serving the app to browsers needs textual-serve: install it with pip install 'clinic[serve]' (or textual-serve)."
            )
        ) from exc
    return DeskServer


@groups.cli.command(
    "serve",
    help=_(
        "Serve the app to browsers on the clinic's network: several desks, each signing in as its own user. Anyone on that network reaches the sign-in. Runs until Ctrl+C."
    ),
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help=_(
        "Address to listen on: 0.0.0.0 for every network of this machine, 127.0.0.1 for this machine only."
    ),
)
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(1, 65535),
    help=_("Port to listen on."),
)
@pass_app
def serve_command(app: AppContext, host: str, port: int) -> None:
    server_class = _server_class()
    with app.open():
        pass  # the same checks as every command: the file exists, its schema is known
    hide_the_signed_in_user()

    def announce() -> None:
        click.echo(_("Serving {db} to browsers. Open on each desk:").format(db=app.db_path))
        for address in addresses_to_open(host, port):
            click.echo(f"  {address}")
        click.echo(_("Each desk signs in as its own user. Keep this window open (Ctrl+C stops)."))

    server = server_class(desk_command(app.db_path, app.lang), host, port, announce)
    try:
        server.serve()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ClinicError(
                _(
                    "Port {port} is already in use (another clinic serve?): stop that program or choose another port with --port."
                ).format(port=port)
            ) from exc
        raise ClinicError(
            _("Cannot serve on {host}:{port}: {reason}").format(
                host=host, port=port, reason=exc.strerror or exc
            )
        ) from exc
    click.echo(_("Stopped serving; every browser desk is closed."), err=True)
