"""The bundle parser and its checks (clinic.core.sync.bundle): whatever arrives, a bundle
is either the one the laptop made or refused with one sentence naming the file."""

from __future__ import annotations

import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.encoding import HexEncoder
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from clinic.core.errors import BundleError
from clinic.core.sync.bundle import MAGIC, digest, pack, unseal, verify
from clinic.core.sync.keys import new_signing_key, public_hex

DISTRICT = PrivateKey.generate()
SEED, VERIFY = new_signing_key()
CHANGESET = bytes(range(256)) * 3


def header(**changes) -> dict:
    return {
        "format": 1,
        "device": "民盟",
        "device_number": 1,
        "schema": 50,
        "migrations": "abc",
        "sequence": 1,
        "from": None,
        "until": "2026-11-24T18:00:00",
        "changes": 3,
        "counts": {"persons": {"insert": 3}},
        "digest": digest(CHANGESET),
        **changes,
    }


GOOD = pack(header(), CHANGESET, SEED, public_hex(DISTRICT))


def read(data: bytes) -> tuple[dict, bytes]:
    bundle = unseal("b.bundle", data, DISTRICT)
    verify(bundle, VERIFY)
    return bundle.header, bundle.changeset


def test_a_good_bundle_reads_back():
    assert read(GOOD) == (header(), CHANGESET)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_corruption_is_refused_cleanly(data):
    blob = bytearray(GOOD)
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "replace"]))
    at = data.draw(st.integers(0, len(blob) - 1))
    if kind == "flip":
        blob[at] ^= data.draw(st.integers(1, 255))
    elif kind == "truncate":
        del blob[at:]
    elif kind == "insert":
        blob[at:at] = data.draw(st.binary(min_size=1, max_size=40))
    else:
        end = data.draw(st.integers(at + 1, len(blob)))
        new = data.draw(st.binary(min_size=1, max_size=end - at))
        if blob[at : at + len(new)] == new:
            return
        blob[at:end] = new
    with pytest.raises(BundleError) as refused:
        read(bytes(blob))
    assert "b.bundle cannot be imported" in str(refused.value)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_random_files_are_refused_cleanly(blob, with_magic):
    with pytest.raises(BundleError):
        read((MAGIC if with_magic else b"") + blob)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v).encode()),
    ),
    st.integers(0, 300),
)
def test_a_signed_and_sealed_but_senseless_header_is_refused(body, claimed_length):
    """A laptop's own key signs whatever it is given: the header is still checked."""
    message = struct.pack(">I", claimed_length) + body + CHANGESET
    signed = SigningKey(SEED.encode(), encoder=HexEncoder).sign(message)
    data = MAGIC + SealedBox(DISTRICT.public_key).encrypt(bytes(signed))
    with pytest.raises(BundleError):
        read(data)


@pytest.mark.parametrize(
    "changes",
    [
        {"sequence": "1"},
        {"device_number": True},
        {"counts": []},
        {"digest": "0" * 64},
        {"from": {"a": 1}},
    ],
)
def test_a_header_of_the_wrong_shape_is_refused(changes):
    data = pack(header(**changes), CHANGESET, SEED, public_hex(DISTRICT))
    with pytest.raises(BundleError):
        read(data)


def test_a_bundle_for_another_district_is_refused():
    other = PrivateKey.generate()
    with pytest.raises(BundleError, match="another district"):
        unseal("b.bundle", GOOD, other)


# -- the optional left_out field: rows of the district's updates the laptop lacks ------


def test_a_bundle_naming_rows_left_out_reads_back_and_one_without_names_none():
    """A bundle of a laptop already in the field has no ``left_out``: it reads as before."""
    rows = [["persons", {"id": 12}], ["person_tags", {"person_id": 12, "tag": "低保"}]]
    named = pack(header(left_out=rows), CHANGESET, SEED, public_hex(DISTRICT))
    assert read(named)[0]["left_out"] == rows
    assert "left_out" not in read(GOOD)[0]


@pytest.mark.parametrize(
    "left_out",
    [
        {"persons": 12},
        [["persons", 12]],
        [["persons", {}]],
        [[7, {"id": 12}]],
        [["persons", {"id": 1.5}]],
        [["persons", {"id": True}]],
        [["persons", {"id": 12}, "more"]],
    ],
)
def test_a_malformed_left_out_is_refused_as_an_unreadable_header(left_out):
    data = pack(header(left_out=left_out), CHANGESET, SEED, public_hex(DISTRICT))
    with pytest.raises(BundleError, match="header is unreadable"):
        unseal("b.bundle", data, DISTRICT)


def test_rows_left_out_are_covered_by_the_laptops_signature():
    """Another key signing a header that names rows (to have the district drop rows from
    its copy of what a laptop received) is refused as forged."""
    other, _verify = new_signing_key()
    forged = pack(header(left_out=[["persons", {"id": 1}]]), CHANGESET, other, public_hex(DISTRICT))
    with pytest.raises(BundleError, match="forged"):
        read(forged)
