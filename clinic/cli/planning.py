"""Commands of the planning area (attached to the groups in clinic.cli.main)."""
