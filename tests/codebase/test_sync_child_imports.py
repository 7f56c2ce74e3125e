"""The process that applies bundles starts lean (issue 11, point 9).

``clinic sync import`` applies bundles in a fresh interpreter of their own
(clinic.core.sync.apart), started with ``python -S`` and the app's path, for every
import: its start was most of a clinic day's import. It imports
clinic.core.sync.applying and what that needs, not the libraries the rest of the
app uses (sqlite-utils with click and pluggy, PyNaCl, importlib.metadata); an
import added at the top of a store module the child loads would bring them back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlite_utils", "click", "pluggy", "nacl", "importlib.metadata", "subprocess", "textual")


def test_the_child_imports_none_of_the_apps_heavy_libraries():
    probe = (
        "import sys\n"
        "import clinic.core.sync.apart, clinic.core.sync.applying\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    paths = os.pathsep.join([str(ROOT), *(p for p in sys.path if p)])
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": paths},
        check=True,
    )
    assert done.stdout.strip() == "[]"
