"""The wheel carries everything: built, installed in a fresh virtual environment,
it creates a demo and reports its status (schema and catalogues found inside
the installed package, not in this source tree)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=work,
    )
    wheel = next(dist.glob("clinic-*.whl"))
    env_dir = work / "venv"
    # Dependencies come from this interpreter's site-packages (no network);
    # the clinic package itself only from the wheel.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CLINIC_DB", "PYTHONPATH")}
    return subprocess.run(
        [str(env_dir / "bin" / "clinic"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_wheel_contents(installed):
    python = installed / "bin" / "python"
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import clinic, clinic.db; print(clinic.__file__); print(clinic.db.__file__)",
        ],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert str(installed) in out.stdout, "clinic was not imported from the wheel"


def test_installed_demo_and_status(installed, tmp_path):
    db = tmp_path / "demo.db"
    made = run(installed, "--db", str(db), "demo", "--no-tui", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    status = run(installed, "--db", str(db), "status", "--json", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["schema_version"] >= 1 and data["counts"]["persons"] == 2000
    zh = run(installed, "--lang", "zh", "--db", str(db), "status", cwd=tmp_path)
    assert "人员" in zh.stdout
