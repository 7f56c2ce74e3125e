"""Printing a saved sheet: the default printer, an A5 PDF through a browser, or a browser tab."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path

from clinic.i18n import _

# -- printing -----------------------------------------------------------------
#
# The desk prints a saved sheet with one key. With a default printer (CUPS: `lp`,
# `lpstat -d`) the sheet goes there: as the A5 page itself when a Chromium-like
# browser can turn it into a PDF, else as its text in large characters. Without a
# printer, the sheet opens in the system's browser, to be printed from there.
# Slow (a printer, a browser starting): the desk calls this from a worker thread.

PDF_MAKERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 60


def _run(args: list[str], timeout: float = PRINT_TIMEOUT_S) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C"}  # lpstat's words parsed below are the English ones
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)


def default_printer() -> str | None:
    """The system's default printer, or None when there is no `lp` or no default."""
    if not (shutil.which("lp") and shutil.which("lpstat")):
        return None
    try:
        done = _run(["lpstat", "-d"], timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"system default destination:\s*(\S+)", done.stdout)
    return found.group(1) if found else None


def _pdf_of(html_path: Path) -> Path | None:
    """The A5 page as a PDF beside the sheet (a private folder), when a browser can make it."""
    maker = next((shutil.which(name) for name in PDF_MAKERS if shutil.which(name)), None)
    if maker is None:
        return None
    pdf = html_path.with_suffix(".pdf")
    args = [maker, "--headless", "--disable-gpu", "--no-pdf-header-footer"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    try:
        _run([*args, f"--print-to-pdf={pdf}", html_path.as_uri()])
    except (OSError, subprocess.SubprocessError):
        return None
    return pdf if pdf.is_file() and pdf.stat().st_size else None


def send_to_printer(html_path: Path, text_path: Path, printer: str) -> str:
    """Print the sheet on ``printer``; return what happened in words. Raises OSError
    when the printer refuses it."""
    pdf = _pdf_of(html_path)
    if pdf is not None:
        args = ["lp", "-d", printer, "-o", "media=A5", str(pdf)]
    else:  # the text version, in characters about as large as the page's 14 pt
        args = ["lp", "-d", printer, "-o", "media=A5", "-o", "cpi=8", "-o", "lpi=4"]
        args.append(str(text_path))
    try:
        done = _run(args)
    except subprocess.SubprocessError as exc:
        raise OSError(str(exc)) from None
    finally:
        if pdf is not None:
            pdf.unlink(missing_ok=True)  # lp has spooled it; no copy of health data left over
    if done.returncode != 0:
        raise OSError((done.stderr or done.stdout).strip() or f"lp: {done.returncode}")
    if pdf is not None:
        return _("Sent the sheet to the printer {printer}.").format(printer=printer)
    return _(
        "Sent the sheet to the printer {printer} as large-print text (no browser here to lay out the A5 page)."
    ).format(printer=printer)


def open_in_browser(url: str) -> bool:
    """Open ``url`` in a browser with its own window; False when there is none.
    A text browser (lynx, w3m) would take over the desk's own terminal: never used."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if type(browser) is webbrowser.GenericBrowser:
        return False
    try:
        return bool(browser.open(url))
    except (OSError, webbrowser.Error):
        return False


def print_sheet(html_path: Path, text_path: Path) -> tuple[bool, str]:
    """Print a saved sheet on the default printer, else open it in the browser.
    Returns whether it reached either, and what happened in words."""
    printer = default_printer()
    refused = ""
    if printer:
        try:
            return True, send_to_printer(html_path, text_path, printer)
        except OSError as exc:
            refused = _("The printer {printer} refused the sheet: {reason}.").format(
                printer=printer, reason=exc.strerror or exc
            )
    if open_in_browser(html_path.as_uri()):
        opened = _("Opened the sheet in the browser: print it from there (A5).")
        return True, f"{refused} {opened}".strip()
    missing = _("No printer or browser to send the sheet to; it is saved as {path}.").format(
        path=html_path
    )
    return False, f"{refused} {missing}".strip()
