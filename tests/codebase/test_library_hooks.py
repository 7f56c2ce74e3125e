"""The places the app leans on a name Textual keeps private, because Textual
has no public way to do it (docs/decisions.md, "Names libraries keep private").

Every other use of a library goes through its public interface. These tests fail
the day a Textual release renames or reshapes either hook, instead of a user
finding out: no traceback (with other people's names in its locals) must ever
reach the screen, a crash report (CLINIC_DEBUG, tests) shows no locals, and the
Chinese palette must not say "No matches found".
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from textual.app import App
from textual.command import CommandPalette

CLINIC = Path(__file__).resolve().parents[2] / "clinic"
ALLOWED = {"_handle_exception", "_start_no_matches_countdown", "_stop_no_matches_countdown"}


def test_textual_still_has_the_hooks_the_app_overrides():
    assert list(inspect.signature(App._handle_exception).parameters) == ["self", "error"]
    # ClinicApp._fatal_error is Textual's, without locals: it calls what Textual's calls.
    assert list(inspect.signature(App._fatal_error).parameters) == ["self"]
    source = inspect.getsource(App._fatal_error)
    assert "self._exit_renderables.append(" in source
    assert "self._close_messages_no_wait()" in source
    assert list(inspect.signature(CommandPalette._start_no_matches_countdown).parameters) == [
        "self",
        "search_value",
    ]
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN"):
        assert hasattr(CommandPalette, name), name
    # ClinicApp._handle_exception tells whose message loop an error ended by the frame
    # that caught it (clinic.ui.app._failed_loop): Textual's loop, which then stops.
    from textual.message_pump import MessagePump

    loop = inspect.getsource(MessagePump._process_messages_loop)
    assert "await self._dispatch_message(message)" in loop
    assert "self.app._handle_exception(error)\n                break" in loop
    pre = inspect.getsource(MessagePump._pre_process)
    assert "await self._dispatch_message(events.Mount())" in pre
    assert "self.app._handle_exception(error)\n            return False" in pre
    assert "self._close_messages_no_wait()" in inspect.getsource(App._fatal_error)


def test_textual_footer_still_as_the_desk_footer_expects():
    """clinic.ui.widgets.footer: Textual's footer, composed again only when its keys
    change; it names FooterKey (in a private module) to set ``compact`` before mount."""
    from textual.reactive import Reactive
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    assert list(inspect.signature(Footer.bindings_changed).parameters) == ["self", "screen"]
    assert "self.recompose" in inspect.getsource(Footer.bindings_changed)
    assert "FooterKey(" in inspect.getsource(Footer.compose)
    assert isinstance(FooterKey.__dict__["compact"], Reactive)
    assert "-compact" in inspect.getsource(FooterKey._watch_compact)


def test_every_screen_uses_the_apps_footer():
    """clinic.ui.widgets.footer.Footer keeps F1 in view at the right end: a screen with
    Textual's own footer lost it at 80 columns (F5)."""
    found = []
    for path in (CLINIC / "ui").rglob("*.py"):
        if path.name == "footer.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                if any(alias.name == "Footer" for alias in node.names):
                    found.append(str(path.relative_to(CLINIC)))
    assert not found, found
    assert 'action == "help"' in (CLINIC / "ui" / "widgets" / "footer.py").read_text()


def test_no_other_private_method_of_a_library_is_extended():
    """No other ``super()._x`` call: the app extends no other private method."""
    found = []
    for path in CLINIC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            if node.attr.startswith("__") or node.attr in ALLOWED:
                continue
            owner = node.value
            if isinstance(owner, ast.Call) and getattr(owner.func, "id", "") == "super":
                found.append(f"{path.name}: super().{node.attr}")
    assert not found, found


def test_textual_still_marks_the_nodes_it_removes():
    """clinic.ui.threads.still_shown: a worker's result is dropped for a screen whose
    widgets Textual is removing, which it marks ``_pruning`` (the screen is still
    attached meanwhile). tests/ui/test_worker_results.py shows it at work."""
    from textual.app import App as TextualApp
    from textual.dom import DOMNode

    assert DOMNode()._pruning is False
    assert "node._pruning = True" in inspect.getsource(TextualApp._prune)
