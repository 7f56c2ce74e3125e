"""The bundle file: a laptop's changes, sealed to the district and signed by the laptop.

Layout: ``MAGIC`` then a sealed box (to the district's public key) holding a
signed message (by the laptop's signing key) whose content is a 4-byte
big-endian header length, the header (UTF-8 JSON) and the changeset. Sealing
hides the content from anyone but the district; the sealed box's MAC makes any
changed byte fail; the signature says which laptop made it (the header names the
device, whose key the district has on record).

Every way a file can be wrong ends in :class:`BundleError`, one sentence naming
the file: never a traceback (a hypothesis test feeds random bytes).
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.encoding import HexEncoder
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from clinic.core.errors import BundleError, InputError
from clinic.core.sync.applying import Checked, refuse
from clinic.i18n import _

MAGIC = b"CLINIC-SYNC 1\n"
UPDATE_MAGIC = b"CLINIC-UPDATE 1\n"  # the way back: the district's update to one laptop
FORMAT = 1
SIGNATURE_BYTES = 64
HEADER_FIELDS = {
    "format": int,
    "device": str,
    "device_number": int,
    "schema": int,
    "migrations": str,
    "sequence": int,
    "until": str,
    "changes": int,
    "counts": dict,
    "digest": str,
}


@dataclass(frozen=True)
class Bundle(Checked):
    """A bundle opened with the district's key (its file, header and changeset, as the
    process applying it gets them once checked), with its signed and raw bytes."""

    signed: bytes
    raw: bytes  # the file as it came (kept when the bundle is held)


def pack(
    header: dict[str, Any],
    changeset: bytes,
    signing_key: str,
    district_key: str,
    magic: bytes = MAGIC,
) -> bytes:
    """The bytes of a bundle file (keys hex: the sender's signing seed, the recipient's
    public key; a district's update to a laptop is the same layout under ``UPDATE_MAGIC``)."""
    body = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
    message = struct.pack(">I", len(body)) + body + changeset
    signed = SigningKey(signing_key.encode(), encoder=HexEncoder).sign(message)
    box = SealedBox(PublicKey(district_key.encode(), encoder=HexEncoder))
    return magic + box.encrypt(bytes(signed))


def digest(changeset: bytes) -> str:
    return hashlib.sha256(changeset).hexdigest()


def unseal(
    file: str, data: bytes, district: PrivateKey, *, magic: bytes = MAGIC, foreign: str = ""
) -> Bundle:
    """Open a bundle with the recipient's private key and read its header (not yet
    verified); ``foreign`` says why a box that does not open is refused."""
    if not data.startswith(magic):
        if magic == UPDATE_MAGIC and data.startswith(MAGIC):
            raise refuse(
                file, _("it is a laptop's bundle: bundles are imported on the district database.")
            )
        if magic == UPDATE_MAGIC:
            raise refuse(file, _("it is not an update from the district."))
        raise refuse(file, _("it is not a clinic bundle."))
    try:
        signed = SealedBox(district).decrypt(data[len(magic) :])
    except (CryptoError, ValueError, TypeError) as exc:
        raise refuse(
            file, foreign or _("it is damaged, or it was made for another district's database.")
        ) from exc
    message = signed[SIGNATURE_BYTES:]
    try:
        (length,) = struct.unpack(">I", message[:4])
        if length > len(message) - 4:
            raise ValueError("header longer than the bundle")
        header = json.loads(message[4 : 4 + length].decode())
        _check_header(header)
    except (struct.error, ValueError, UnicodeDecodeError, TypeError) as exc:
        raise refuse(file, _("its header is unreadable.")) from exc
    changeset = message[4 + length :]
    if digest(changeset) != header["digest"]:
        raise refuse(file, _("its changes do not match its header."))
    return Bundle(file, header, changeset, signed, data)


def _check_header(header: Any) -> None:
    if not isinstance(header, dict):
        raise ValueError("header is not an object")
    for name, kind in HEADER_FIELDS.items():
        if not isinstance(header.get(name), kind) or isinstance(header.get(name), bool):
            raise ValueError(f"header field {name}")
    if not isinstance(header.get("from"), str | None):
        raise ValueError("header field from")
    _check_left_out(header.get("left_out", []))


def _check_left_out(rows: Any) -> None:
    """A laptop's bundle may name rows of the district's updates it lacks (optional: a
    bundle of an older laptop has none): ``[[table, {column: value}], ...]``."""
    if not isinstance(rows, list):
        raise ValueError("header field left_out")
    for row in rows:
        if not (
            isinstance(row, list)
            and len(row) == 2
            and isinstance(row[0], str)
            and isinstance(row[1], dict)
            and row[1]
            and all(isinstance(v, int | str) and not isinstance(v, bool) for v in row[1].values())
        ):
            raise ValueError("header field left_out")


def verify(bundle: Bundle, verify_key: str) -> None:
    """Check the laptop's signature (BundleError when it was made or changed by anyone else)."""
    try:
        VerifyKey(verify_key.encode(), encoder=HexEncoder).verify(bundle.signed)
    except (BadSignatureError, ValueError, TypeError) as exc:
        raise refuse(
            bundle.file,
            _("its signature is not the one of laptop {device}: it was changed or forged.").format(
                device=bundle.header["device"]
            ),
        ) from exc


def read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise BundleError(
            _("Cannot read {file}: {reason}").format(file=path, reason=exc.strerror or exc)
        ) from exc


def files_in(path: Path, magic: bytes = MAGIC) -> list[Path]:
    """The files to import from ``path``: the file itself, or the files of a folder (a USB
    stick's) that start with ``magic`` (a laptop's bundles for the district, the district's
    updates for a laptop: one stick may carry both), by name. Hidden files (a copy still
    being written) are left out."""
    path = Path(path)
    if path.is_dir():
        found = sorted(
            p for p in path.iterdir() if not p.name.startswith(".") and _starts(p, magic)
        )
        if not found and magic == UPDATE_MAGIC:
            raise InputError(
                _("There is no update from the district in the folder {path}.").format(path=path)
            )
        if not found:
            raise InputError(
                _("There is no laptop's bundle in the folder {path}.").format(path=path)
            )
        return found
    if not path.exists():
        raise InputError(_("There is no file or folder {path}.").format(path=path))
    return [path]


def _starts(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as stream:
            return path.is_file() and stream.read(len(magic)) == magic
    except OSError:
        return False
