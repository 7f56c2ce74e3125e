"""Work the app hands to a fresh interpreter of its own (:mod:`clinic.core.sync.apart`,
:mod:`clinic.core.imports.first_load`): how such a child is started, and how it keeps
its answer apart from anything else it prints.

The child runs with ``-S`` (no site module: the editable install's finder and the
``.pth`` files cost twice the bare interpreter's start) and is given this process's
whole module path instead, so it finds the modules this process finds, as
multiprocessing's children do.
"""

from __future__ import annotations

import marshal
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from clinic.core.errors import InputError, UnexpectedError
from clinic.i18n import _

# What a child may write first on its answer stream: it has begun the work (the
# answer follows when it is done).
READY = b"R"

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def python_child(module: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run ``python -m module`` as a child."""
    paths = [_PACKAGE_ROOT, *(p for p in sys.path if p)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    return [sys.executable, "-S", "-m", module], env


def frame(value: Any) -> bytes:
    """``value`` (of marshal's types) as one frame on a pipe to a child: its length in
    four bytes, then the value marshalled (read back by :func:`frames`)."""
    data = marshal.dumps(value)
    return len(data).to_bytes(4, "little") + data


def frames(stream: BinaryIO) -> Iterator[Any]:
    """The values of the frames on ``stream`` (:func:`frame`), to the end of the input."""
    read = stream.read
    while True:
        head = read(4)
        if len(head) < 4:
            return
        size = int.from_bytes(head, "little")
        data = read(size)
        if len(data) < size:
            return
        yield marshal.loads(data)


def answer_stream() -> BinaryIO:
    """In the child: the standard output it was given, for its answer alone; anything
    else printed goes to standard error (a stray line would garble the answer).

    sqlite-utils imports numpy and pandas when they are installed, for values a child
    never converts: a quarter of its start-up, spared."""
    answer_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    for optional in ("numpy", "pandas"):
        sys.modules[optional] = None  # type: ignore[assignment]  # import raises ImportError
    return answer_out


def picklable_error(exc: Exception) -> Exception:
    """``exc`` if it can cross back to the parent as a pickle, else an UnexpectedError
    naming its type."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return UnexpectedError.of(exc)
    return exc


def stopped_child(code: int | None) -> InputError:
    """What the user is told when a child ended without an answer (killed, out of
    memory), perhaps after its commit."""
    return InputError(
        _(
            "The work on the database stopped before it could say how it went (exit {code}). What it finished is kept: do it again (the same files) to see; an import done twice changes nothing."
        ).format(code=code)
    )
