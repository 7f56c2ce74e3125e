"""The wheel carries everything: built, installed in a brand-new virtual
environment with its declared dependencies only, it creates a demo, reports
its status and opens the terminal app (schema and catalogues found inside the
installed package, not in this source tree).

The environment is isolated from the interpreter running the tests: no system
site-packages, no PYTHONPATH, no user site, and a working folder outside the
checkout, so an undeclared dependency fails here as it would for a user.
Dependencies come from the package index (pip's cache makes repeats quick).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

_LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "CLINIC_DB")


def isolated_env() -> dict[str, str]:
    """The caller's environment without anything that would let the outer Python leak in."""
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    # Built from a copy: setuptools writes build/ and *.egg-info into the source tree, and two
    # xdist workers building in one tree at once break each other's build.
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", "__pycache__", ".venv", "*.db*", ".*_cache"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=work,
    )
    wheel = next(dist.glob("clinic-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        cwd=work,
        env=isolated_env(),
    )
    assert done.returncode == 0, done.stderr
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(env_dir / "bin" / "clinic"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=isolated_env(),
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
        env=isolated_env(),
    )
    assert str(installed) in out.stdout, "clinic was not imported from the wheel"


def test_wheel_ships_the_sheet_templates(installed, tmp_path):
    """The health-prescription sheet is drawn from db/templates: an installed clinic
    without them could hand out but never write a sheet."""
    python = installed / "bin" / "python"
    code = (
        "from clinic.core.desk import sheets\n"
        "from clinic.store.resources import data_root\n"
        "print(sorted(p.name for p in (data_root() / 'templates').iterdir()))\n"
        "print(sheets._environment(None).get_template('sheet.html.j2').name)\n"
    )
    out = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd="/", env=isolated_env()
    )
    assert "'sheet.html.j2', 'sheet.txt.j2'" in out.stdout, out.stderr
    assert "sheet.html.j2" in out.stdout.splitlines()[-1]


def test_only_the_wheel_and_its_dependencies_are_seen(installed):
    """Nothing from the interpreter running the tests is importable in the new venv."""
    python = installed / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", "import json, sys; print(json.dumps(sys.path))"],
        capture_output=True,
        text=True,
        cwd="/",
        env=isolated_env(),
    )
    outer = {p for p in sys.path if "site-packages" in p}
    inner = json.loads(out.stdout)
    assert not outer & set(inner), inner
    assert all(str(installed) in p for p in inner if "site-packages" in p), inner


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


def test_readme_first_command_opens_the_demo(installed, tmp_path, terminal):
    """The README's first command, `clinic demo`, builds the demo and opens the app on it."""
    env = " ".join(f"{k}=''" for k in _LEAKY)
    term = terminal(
        f"cd {tmp_path} && env {env} PYTHONNOUSERSITE=1 CLINIC_DB={tmp_path / 'd.db'} "
        f"{installed / 'bin' / 'clinic'} --lang en demo",
        120,
        36,
    )
    # The app's first screen: the first coordinator's on a database without users (or
    # the sign-in, where the demo makes its users; or home, where it signs one in).
    firsts = ("Create the first coordinator", "Choose your name, then type your PIN.")
    deadline = time.monotonic() + 90
    while not any(text in term.screen() for text in (*firsts, "In this database")):
        assert time.monotonic() < deadline, term.screen()
        time.sleep(0.2)
    term.keys("C-q")
