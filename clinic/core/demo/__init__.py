"""A synthetic demo database: no real person is in it, and it says so.

``small`` (tests, first look): the villages of 綦江区 named in the programme's
report, ~2,000 persons in households of every category, 40 volunteers, a dozen
clinic days past and future with visits, assignments and handouts on the past
ones. ``large`` (scale): 200,000 persons in ~400 villages. Same seed, same data.
Rows go in with executemany inside one transaction: the large one takes
seconds, not minutes.

Modules: :mod:`.synthetic` (what the demo draws from), :mod:`.build` (the
database), :mod:`.volunteers`, :mod:`.days` and :mod:`.users` (one
user per role, with fixed demo-only PINs).
"""

from clinic.core.demo.build import build_demo
from clinic.core.demo.synthetic import MAX_PAIRED, SIZES
from clinic.core.demo.users import DEMO_USERS, is_demo

__all__ = ["DEMO_USERS", "MAX_PAIRED", "SIZES", "build_demo", "is_demo"]
