"""Install every direct dependency at its lowest allowed version and run the suite.

The version ranges in pyproject.toml are promises: the upper bound is tested by
every fresh install (pip takes the newest allowed), the lower bound by this
script. It writes a pip constraints file pinning each direct dependency (and
test extra) to the lower bound of its range, installs the project into a new
virtual environment with it, and runs the tests there::

    python tools/lowest_deps.py                 # a temporary venv, then pytest -n 2
    python tools/lowest_deps.py --venv DIR      # keep the venv in DIR
    python tools/lowest_deps.py --print         # only print the constraints

Dependencies without a lower bound (``setuptools``, say) are left to pip.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_LOWER = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*[^;]*?>=\s*([0-9][^,;\s]*)")


def lowest_constraints(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """``name==lower`` for every direct requirement that has a ``>=`` bound."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    pins = []
    for requirement in requirements:
        match = _LOWER.match(requirement)
        if match:
            pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--venv", type=Path, help="virtual environment to create (default: temporary)"
    )
    parser.add_argument("--print", action="store_true", help="print the constraints and stop")
    parser.add_argument("pytest_args", nargs="*", default=["-n", "2", "-q"])
    args = parser.parse_args(argv)
    pins = lowest_constraints()
    if args.print:
        print("\n".join(pins))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        env_dir = args.venv or Path(tmp) / "venv"
        venv.create(env_dir, with_pip=True, clear=True)
        python = env_dir / "bin" / "python"
        constraints = Path(tmp) / "lowest.txt"
        constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
        print("Lowest allowed versions:", ", ".join(pins), flush=True)
        subprocess.run(
            [python, "-m", "pip", "install", "-c", constraints, "-e", f"{ROOT}[test]"],
            check=True,
        )
        env_bin = str(env_dir / "bin")
        import os

        env = {
            **os.environ,
            "PATH": env_bin + os.pathsep + os.environ.get("PATH", ""),
            "VIRTUAL_ENV": str(env_dir),
        }
        return subprocess.run(
            [python, "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env
        ).returncode


if __name__ == "__main__":
    sys.exit(main())
