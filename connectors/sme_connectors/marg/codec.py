# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Marg's payload encoding, both ways.

Marg's Corporate EDE answers carry their data as
base64( AES-128-CBC( base64( raw-DEFLATE( JSON ) ) ) ), where the AES key
is the company's decryption key, zero-padded or cut to 16 bytes, and the IV
is the key itself. The sandbox seals its answers with its own encoder
(``sandbox/marg_codec.py`` in this package), so each side checks the other.
"""
import base64
import binascii
import json
import zlib

from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16


class MargDecodeError(ValueError):
    """The payload cannot be read with this key (or is not Marg's)."""


def _cipher(key):
    raw = (key or "").encode("utf-8")[:BLOCK].ljust(BLOCK, b"\0")
    return Cipher(algorithms.AES(raw), modes.CBC(raw), backend=default_backend())


def _unpad(data):
    """PKCS#7 padding as Marg's .NET side writes it; zero padding also seen."""
    count = data[-1] if data else 0
    if 1 <= count <= BLOCK and data[-count:] == bytes([count]) * count:
        return data[:-count]
    return data.rstrip(b"\0")


def decode_payload(text, key):
    """The JSON object inside an encrypted Marg payload."""
    try:
        sealed = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise MargDecodeError(
            "the answer is not base64: it is not an encrypted Marg payload"
        ) from None
    if not sealed or len(sealed) % BLOCK:
        raise MargDecodeError(
            "the encrypted payload has %d bytes, not whole AES blocks" % len(sealed)
        )
    decryptor = _cipher(key).decryptor()
    inner = _unpad(decryptor.update(sealed) + decryptor.finalize())
    try:
        compressed = base64.b64decode(inner, validate=True)
        document = zlib.decompress(compressed, -zlib.MAX_WBITS).decode("utf-8-sig")
        return json.loads(document)
    except (
        binascii.Error,
        ValueError,
        zlib.error,
    ):  # UnicodeDecodeError is a ValueError
        raise MargDecodeError(
            "the payload does not decrypt with the decryption key set on the "
            "connection: check the key Marg gave for this company"
        ) from None
