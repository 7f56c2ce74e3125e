"""Data, not code: numbered schema migrations and seed catalogues.

Installed as the package ``clinic.db`` (see pyproject.toml) so that both an
editable install and a wheel find these files through importlib.resources.
"""
