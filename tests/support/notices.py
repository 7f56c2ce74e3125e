"""What the app said in its notifications, as said: the app breaks a notification's
lines as Chinese is typeset (clinic.ui.prose) and adds nothing but the line breaks."""

from __future__ import annotations


def said(app) -> list[str]:
    """The app's notifications, oldest first, each on one line."""
    return [n.message.replace("\n", "") for n in app._notifications]
