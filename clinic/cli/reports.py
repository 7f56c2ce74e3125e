"""Commands of the reports area (attached to the groups in clinic.cli.main)."""
