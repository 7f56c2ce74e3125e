"""Commands of the desk area (attached to the groups in clinic.cli.main)."""
