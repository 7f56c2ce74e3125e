"""A worker's result handed to the UI thread, for a screen or widget still there.

Why: a screen loads in a worker thread and fills itself with the result on the
UI thread (``App.call_from_thread``). By then the screen may be gone: a dialog
closed with Escape while it loaded, the app quitting, a kept screen left.
Filling a screen whose widgets were removed raised ``NoMatches`` in the worker,
and a failed worker stops the app (seen in CI: the home screen's counts arriving as a test's app
shut down). The result of a screen no longer shown has nobody to read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode, NoScreen


def still_shown(node: DOMNode) -> bool:
    """``node`` is on a screen of the app's stack (the top one, or one under a dialog),
    in the running app, and not being removed. Textual marks a node and everything
    under it ``_pruning`` as it removes them, children first, while the node itself is
    still attached; and a screen kept for later (the desk's visit form) stays attached
    once it has been left."""
    try:
        app = node.app
        screen = node.screen
    except (RuntimeError, NoScreen):  # NoActiveAppError: removed, asked from a thread
        return False
    return app.is_running and node.is_attached and not node._pruning and screen in app.screen_stack


def deliver(node: DOMNode, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """From a worker thread: ``callback(*args, **kwargs)`` on the UI thread, if
    ``node`` (the screen or widget the result is for) is still shown then; its
    result, or None when it was dropped."""

    try:
        app = node.app
    except RuntimeError:  # Textual's NoActiveAppError: the node was removed
        return None

    def if_shown() -> Any:
        return callback(*args, **kwargs) if still_shown(node) else None

    return app.call_from_thread(if_shown)
