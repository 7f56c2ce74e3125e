"""Python's garbage collector and a desk that answers every key at once.

Why: the TUI holds about 400,000 objects that live as long as it does (Textual,
the message catalogues, pypinyin's dictionaries, the open desk). Python's
cyclic collector walks all of them at each full collection, which came every
few desk keys and took about 200 ms on the 2-core machine: the slowest key of
a run was often the one a collection fell on (``bench/bench_desk.py``).

``freeze_long_lived`` moves everything alive into the collector's permanent
generation (``gc.freeze``, a moment's work): later collections walk only what
was made since. Objects frozen are still freed when no longer referenced; only
a reference cycle among them would stay (no collection first: that took as
long as the collections it saves, at start). So it is called when what is alive
is what the session keeps (the first screen shown, the desk's screens
imported), and only by the real app (``clinic`` itself and the benchmark that
measures it), not by the tests' many apps in one process.

With so little left in the oldest generation, Python's rule for a full
collection (a quarter more objects there than at the last one) came every few
keys again, each walking the screens' render caches (about 80 ms). Full
collections are left to the moments nobody types (``collect_garbage``, after
``IDLE_S`` seconds without a key, once per pause; the app's timer): cycles of
garbage such as a closed visit form are freed then. Python's own full
collections wait for 1,000 collections of the middle generation instead of 10
(millions of allocations), for a desk that never pauses.
"""

from __future__ import annotations

import gc

FULL_COLLECTION_EVERY = 1000  # collections of the middle generation (Python's: 10)
IDLE_S = 3.0  # seconds without a key before the garbage is collected


def freeze_long_lived() -> None:
    """Keep everything alive now out of later collections, and leave full collections
    to the pauses (see the module)."""
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, max(old, FULL_COLLECTION_EVERY))


def collect_garbage() -> None:
    """A full collection, while nobody types (see the module)."""
    gc.collect()
