"""``clinic sync base``: a laptop's database, made from the district's.

The base is a consistent copy of the district database (registers,
catalogues, volunteers, plans and roster, users) that knows it is laptop
number N: its rows get ids in N's range (clinic.store.connection.new_ids), it
holds its own signing key and the district's public key, and its audit log and
the district's merge records are left out. The district records the laptop's
public key, so it can tell the laptop's bundles from anyone else's.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from clinic.core.errors import InputError
from clinic.core.files import private_folder, safe_file_name
from clinic.core.sync.exporting import bundle_target
from clinic.core.sync.keys import (
    district_private_key,
    district_verify_key,
    new_signing_key,
    public_hex,
)
from clinic.i18n import _
from clinic.store import Store, open_store
from clinic.store import sync as q
from clinic.store.audit import record as record_audit
from clinic.store.backup import vacuum_into


@dataclass(frozen=True)
class Enrolled:
    device: str
    number: int
    path: Path


def device_number(store: Store) -> int | None:
    """This file's laptop number, or None on the district."""
    value = q.laptop_identity(store).get(q.DEVICE_NUMBER_KEY)
    return int(value) if value else None


def laptops_folder(store: Store) -> Path:
    """``laptops/`` beside the district database: where bases go unless told otherwise."""
    return Path(store.path).resolve().parent / "laptops"


def make_base(store: Store, device: str, out: Path | None, *, actor: str) -> Enrolled:
    """Enrol laptop ``device`` and write its database to ``out`` (0600, atomically): a
    file, or ``NAME.db`` in a folder; without ``out`` in :func:`laptops_folder`."""
    device = device.strip()
    if not device:
        raise InputError(_("Give the laptop a name with --device."))
    if device_number(store) is not None:
        raise InputError(
            _("{path} is a laptop's database: enrol laptops from the district database.").format(
                path=store.path
            )
        )
    if q.device_by_name(store, device):
        raise InputError(
            _("A laptop named {device} is enrolled already; choose another name.").format(
                device=device
            )
        )
    out = bundle_target(out, laptops_folder(store), f"{safe_file_name(device, 'laptop')}.db")
    if out.exists():
        raise InputError(_("{path} already exists; choose another name.").format(path=out))
    private_folder(out.parent if str(out.parent) else Path("."))
    district = district_private_key(store.path, create=True)
    seed, verify = new_signing_key()
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        vacuum_into(store.path, partial)
        os.chmod(partial, 0o600)
        with store.transaction():
            number = q.add_device(store, device, verify, actor)
            record_audit(store, actor, "sync_enrol", {"device": device, "number": number})
        # What the laptop has of the district: its first update is measured from here.
        q.keep_sent_copy(partial, store.path, number)
        with open_store(partial) as laptop:
            q.write_laptop_identity(
                laptop,
                {
                    q.DEVICE_NUMBER_KEY: str(number),
                    q.DEVICE_NAME_KEY: device,
                    q.SIGNING_KEY: seed,
                    q.DISTRICT_KEY: public_hex(district),
                    q.DISTRICT_VERIFY_KEY: district_verify_key(district),
                    q.ENROLLED_AT_KEY: dt.datetime.now().isoformat(timespec="seconds"),
                    q.SNAPSHOT_STATE: "pending",
                },
            )
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Enrolled(device, number, out)
