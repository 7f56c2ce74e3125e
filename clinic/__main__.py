"""``python -m clinic`` runs the same command as ``clinic``."""

from clinic.cli.main import entry

entry()
