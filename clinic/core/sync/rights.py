"""Who may do what with laptops and bundles: the one rule the CLI and the TUI apply.

``None`` means any signed-in user. A base and the district's update to a laptop
carry the whole register unmasked and its users, like a backup: the coordinator's
right to export whole numbers. Importing writes to every register; the status and
the conflicts show what laptops sent: the coordinator's right to import registers.
A laptop's own bundle is sealed for the district (nobody else can read it), so any
signed-in user of the laptop may write it.
"""

from __future__ import annotations

ENROL = "export_unmasked"
UPDATE = "export_unmasked"
IMPORT = "import_registers"
REVIEW = "import_registers"  # status, conflicts and settling them
BUNDLE: str | None = None


def export_right(for_device: bool) -> str | None:
    """The right ``sync export`` needs: the district's update for a laptop, or a laptop's bundle."""
    return UPDATE if for_device else BUNDLE
