"""What a fixture cannot be, for the conftest.py files only: the tmux terminal
(``terminal``), the writer processes of the backup tests (a spawned process needs
an importable function) and the builders of the edge-case and year databases.
Test modules get all of it through fixtures (tests/codebase/test_test_layout.py)."""
