"""Textual screens and widgets. Shows and edits; rules live in clinic.core."""
