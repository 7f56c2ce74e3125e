"""The keys of a district and its laptops (PyNaCl: Curve25519 sealed boxes, Ed25519 signatures).

The district's private key lives in a file beside its database,
``NAME.district-key`` (0600), made the first time a laptop is enrolled. It is
not in the database on purpose: a backup or a laptop base of the database then
never carries it, so a lost USB stick with a backup cannot open bundles. The
price: the key file must be backed up on its own (docs/sync.md).
"""

from __future__ import annotations

from pathlib import Path

from nacl.encoding import HexEncoder, RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from clinic.core.errors import InputError
from clinic.core.files import write_bytes_atomic
from clinic.i18n import _


def district_key_path(db_path: Path) -> Path:
    db_path = Path(db_path).resolve()
    return db_path.with_name(f"{db_path.name}.district-key")


def district_private_key(db_path: Path, *, create: bool = False) -> PrivateKey:
    """The district's private key; made (and saved 0600) when ``create`` and missing."""
    path = district_key_path(db_path)
    if not path.exists():
        if not create:
            raise InputError(
                _(
                    "This database has no district key ({path}): only the district database that enrolled the laptops can import their bundles."
                ).format(path=path)
            )
        key = PrivateKey.generate()
        write_bytes_atomic(path, key.encode(HexEncoder) + b"\n")
        return key
    try:
        return PrivateKey(path.read_bytes().strip(), encoder=HexEncoder)
    except (CryptoError, ValueError, TypeError) as exc:
        raise InputError(
            _("The district key {path} is damaged: restore it from its backup.").format(path=path)
        ) from exc


def public_hex(key: PrivateKey) -> str:
    return key.public_key.encode(HexEncoder).decode()


def new_signing_key() -> tuple[str, str]:
    """(private seed, public verify key) of a new laptop, both hex."""
    key = SigningKey.generate()
    return key.encode(HexEncoder).decode(), key.verify_key.encode(HexEncoder).decode()


# -- the way back: the district's updates to a laptop (docs/decisions.md) -------------


def district_signing_seed(district: PrivateKey) -> str:
    """The district's Ed25519 signing seed (hex), derived from its private key with a
    keyed hash: one key file to back up, and the signing key is never the sealing key."""
    seed = blake2b(bytes(district), digest_size=32, person=b"clinic-update", encoder=RawEncoder)
    return SigningKey(seed).encode(HexEncoder).decode()


def district_verify_key(district: PrivateKey) -> str:
    """The public half of :func:`district_signing_seed` (hex), given to each laptop."""
    seed = SigningKey(district_signing_seed(district).encode(), encoder=HexEncoder)
    return seed.verify_key.encode(HexEncoder).decode()


def laptop_box_public(verify_key: str) -> str:
    """The key an update is sealed to: the laptop's Ed25519 verify key (on record since
    its enrolment) converted to Curve25519, libsodium's documented conversion."""
    key = VerifyKey(verify_key.encode(), encoder=HexEncoder).to_curve25519_public_key()
    return PublicKey(bytes(key)).encode(HexEncoder).decode()


def laptop_box_private(signing_seed: str) -> PrivateKey:
    """The laptop's side of :func:`laptop_box_public`, from its signing key."""
    return SigningKey(signing_seed.encode(), encoder=HexEncoder).to_curve25519_private_key()
