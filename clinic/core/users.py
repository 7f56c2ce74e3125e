"""Users, their roles, and signing in (issue 10, trust).

Who may do what is written here once, for the TUI and the CLI alike. A PIN is
kept only as a salted scrypt hash from the standard library (``hashlib.scrypt``):
a deliberately slow hash needs no new dependency, and its parameters are
stored with each hash so they can be raised later without breaking old PINs.
Wrong PINs in a row lock the user for a few minutes, so a shared laptop cannot
be tried PIN after PIN.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass

from clinic.core.errors import FieldError, NotFoundError, RefusedError, SignInError
from clinic.i18n import N_, _
from clinic.store import Store
from clinic.store import users as q
from clinic.store.audit import record

ROLES = ("coordinator", "clinician", "clerk", "pharmacist")
ROLE_LABELS = {
    "coordinator": N_("coordinator"),
    "clinician": N_("clinician (doctor or nurse)"),
    "clerk": N_("clerk"),
    "pharmacist": N_("pharmacist"),
}
# Role names as users type them, in either language.
ROLE_WORDS = {
    "coordinator": "coordinator",
    "协调员": "coordinator",
    "clinician": "clinician",
    "doctor": "clinician",
    "nurse": "clinician",
    "医生": "clinician",
    "护士": "clinician",
    "医护": "clinician",
    "clerk": "clerk",
    "登记员": "clerk",
    "pharmacist": "pharmacist",
    "药师": "pharmacist",
}

# What only some roles may do; everything else any signed-in user may.
RIGHTS = {
    "manage_users": {"coordinator"},
    "export_unmasked": {"coordinator"},
    "reveal_number": {"coordinator"},
    "purge": {"coordinator"},
    "import_registers": {"coordinator"},
    "merge_persons": {"coordinator"},
    "record_consult": {"clinician"},
    # clinic serve: opens the clinic's network to browser desks (each signs in itself).
    "serve_desks": {"coordinator"},
}
RIGHT_LABELS = {
    "manage_users": N_("manage users"),
    "export_unmasked": N_("export whole ID and phone numbers"),
    "reveal_number": N_("reveal a whole number"),
    "purge": N_("erase a person"),
    "import_registers": N_("import registers"),
    "merge_persons": N_("merge duplicate persons"),
    "record_consult": N_("record vitals and consults"),
    "serve_desks": N_("serve desks to browsers"),
}

MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 64
FAILURES_BEFORE_LOCK = 5
LOCK_MINUTES = 5
# scrypt: 16 MiB of memory and tens of milliseconds per check on a laptop.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class User:
    """A signed-in user: the name the audit log records, and their roles."""

    id: int
    name: str
    roles: frozenset[str]
    volunteer_id: int | None = None

    def may(self, right: str) -> bool:
        return bool(self.roles & RIGHTS[right])


def _roles(row: dict) -> frozenset[str]:
    return frozenset(r for r in (row["roles"] or "").split(",") if r)


def _user(row: dict) -> User:
    return User(row["id"], row["name"], _roles(row), row["volunteer_id"])


# -- PINs -------------------------------------------------------------------------


def hash_pin(pin: str) -> str:
    """``scrypt$n$r$p$salt$hash``, hex: the parameters travel with the hash."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        again = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(again.hex(), digest)


def check_pin(pin: str) -> str:
    """A PIN or password a user may choose: 4 to 64 characters, not all one character."""
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise FieldError(
            _("A PIN has {low} to {high} characters.").format(
                low=MIN_PIN_LENGTH, high=MAX_PIN_LENGTH
            ),
            "pin",
        )
    if len(set(pin)) == 1:
        raise FieldError(_("A PIN of one character repeated is too easy to guess."), "pin")
    return pin


def _normal_name(name: str) -> str:
    """A name as stored and looked up: spaces trimmed and single."""
    return " ".join(name.split())


@functools.cache
def _decoy_hash() -> str:
    """A hash no PIN was given for: an unknown name is checked against it, so it
    takes as long as a real check."""
    return hash_pin(os.urandom(16).hex())


def check_name(name: str) -> str:
    name = _normal_name(name)
    if not name or len(name) > 40:
        raise FieldError(_("A user name has 1 to 40 characters."), "name")
    return name


def parse_roles(words: Iterable[str]) -> set[str]:
    """Roles as typed ("coordinator", "医生", "nurse,clerk"): their codes."""
    roles: set[str] = set()
    for word in words:
        for part in word.replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            code = ROLE_WORDS.get(part.lower()) or ROLE_WORDS.get(part)
            if code is None:
                raise FieldError(
                    _("Unknown role {value}; roles: {roles}.").format(
                        value=part, roles=", ".join(ROLES)
                    ),
                    "role",
                )
            roles.add(code)
    if not roles:
        raise FieldError(_("Give the user at least one role."), "role")
    return roles


def role_label(code: str) -> str:
    return _(ROLE_LABELS[code])


# -- users ------------------------------------------------------------------------


def needs_first_user(store: Store) -> bool:
    """No user yet (a new database, or one from before sign-in): the first one
    to be added is a coordinator, added without signing in."""
    return q.count_users(store) == 0


def require(user: User | None, right: str) -> User:
    """``user`` when they have ``right``; else a sentence saying who may."""
    if user is None:
        raise SignInError(_("Sign in first: this changes or reveals data."), "sign_in")
    if not user.may(right):
        roles = ", ".join(role_label(r) for r in sorted(RIGHTS[right]))
        raise SignInError(
            _("{name} may not {what}: only a {roles} may.").format(
                name=user.name, what=_(RIGHT_LABELS[right]), roles=roles
            ),
            right,
        )
    return user


def add_user(
    store: Store,
    name: str,
    roles: Iterable[str],
    pin: str,
    *,
    by: User | None,
    volunteer_id: int | None = None,
) -> User:
    """Add a user. The first user of a database must be a coordinator and needs
    no sign-in; every later one is added by a signed-in coordinator."""
    name, roles, pin = check_name(name), set(roles), check_pin(pin)
    first = needs_first_user(store)
    if first and "coordinator" not in roles:
        raise RefusedError(
            _("The first user must be a coordinator (--role coordinator)."), "first_user"
        )
    if not first:
        require(by, "manage_users")
    if q.user_named(store, name) is not None:
        raise RefusedError(_("There is already a user named {name}.").format(name=name), "name")
    with store.transaction():
        user_id = q.insert_user(store, name, hash_pin(pin), roles, volunteer_id)
        record(
            store,
            by.name if by else name,
            "user_add",
            {"user_id": user_id, "roles": sorted(roles), "first": first},
        )
    return User(user_id, name, frozenset(roles), volunteer_id)


def users(store: Store) -> list[dict]:
    """Every user without their PIN's hash: name, roles, active, locked until."""
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "roles": sorted(_roles(r)),
            "active": bool(r["active"]),
            "volunteer_id": r["volunteer_id"],
            "locked_until": r["locked_until"],
            "pin_changed_at": r["pin_changed_at"],
        }
        for r in q.users(store)
    ]


def _found(store: Store, name: str) -> dict:
    row = q.user_named(store, _normal_name(name))
    if row is None:
        raise NotFoundError(_("There is no user named {name}.").format(name=name))
    return row


def sign_in(store: Store, name: str, pin: str, now: dt.datetime | None = None) -> User:
    """The user, when ``pin`` is theirs. A wrong name and a wrong PIN say the same;
    after five wrong PINs in a row the user is locked for five minutes."""
    now = now or dt.datetime.now()
    wrong = SignInError(_("Wrong user name or PIN."), "wrong")
    row = q.user_named(store, _normal_name(name))
    if row is None:
        pin_matches(pin, _decoy_hash())
        raise wrong
    if row["locked_until"] and row["locked_until"] > now.isoformat(sep=" "):
        raise SignInError(
            _("Too many wrong PINs: {name} can sign in again after {time}.").format(
                name=row["name"], time=row["locked_until"][11:16]
            ),
            "locked",
        )
    if not pin_matches(pin, row["pin_hash"]):
        failures = row["failed_sign_ins"] + 1
        values: dict = {"failed_sign_ins": failures}
        if failures >= FAILURES_BEFORE_LOCK:
            until = now + dt.timedelta(minutes=LOCK_MINUTES)
            values = {"failed_sign_ins": 0, "locked_until": until.isoformat(sep=" ")[:19]}
        with store.transaction():
            q.update_user(store, row["id"], values)
            record(store, row["name"], "sign_in_failed", {"locked": "locked_until" in values})
        raise wrong
    if not row["active"]:
        raise SignInError(
            _("{name} is disabled: a coordinator can enable them again.").format(name=row["name"]),
            "disabled",
        )
    if row["failed_sign_ins"] or row["locked_until"]:
        q.update_user(store, row["id"], {"failed_sign_ins": 0, "locked_until": None})
    return _user(row)


def change_pin(store: Store, name: str, new_pin: str, *, by: User) -> None:
    """A user changes their own PIN; a coordinator may set anyone's."""
    row = _found(store, name)
    if row["id"] != by.id:
        require(by, "manage_users")
    with store.transaction():
        q.update_user(
            store,
            row["id"],
            {
                "pin_hash": hash_pin(check_pin(new_pin)),
                "failed_sign_ins": 0,
                "locked_until": None,
                "pin_changed_at": dt.datetime.now().isoformat(sep=" ", timespec="seconds"),
            },
        )
        record(store, by.name, "user_pin", {"user_id": row["id"]})


def set_active(store: Store, name: str, active: bool, *, by: User) -> None:
    """Disable a user (kept, for the audit log names them) or enable them again.
    The last active coordinator cannot be disabled: nobody could manage users."""
    require(by, "manage_users")
    row = _found(store, name)
    roles = _roles(row)
    if (
        not active
        and "coordinator" in roles
        and row["active"]
        and q.count_active_with_role(store, "coordinator") == 1
    ):
        raise RefusedError(
            _("{name} is the last coordinator: add another before disabling them.").format(
                name=row["name"]
            ),
            "last_coordinator",
        )
    with store.transaction():
        q.update_user(store, row["id"], {"active": int(active)})
        record(store, by.name, "user_enable" if active else "user_disable", {"user_id": row["id"]})
