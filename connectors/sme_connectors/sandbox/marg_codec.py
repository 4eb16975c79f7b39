# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How Marg seals its data payloads, written from Marg's description and
independently of the hub's decoder, so that each checks the other:
JSON → raw DEFLATE → base64 → AES-128-CBC (key = the company's decryption
key zero-padded or cut to 16 bytes, IV = the key, PKCS#7) → base64."""
import base64
import json
import zlib

from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def seal(document, key):
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    inner = base64.b64encode(deflater.compress(text) + deflater.flush())
    padder = padding.PKCS7(128).padder()
    padded = padder.update(inner) + padder.finalize()
    raw_key = key.encode("utf-8")[:16].ljust(16, b"\0")
    encryptor = Cipher(
        algorithms.AES(raw_key), modes.CBC(raw_key), backend=default_backend()
    ).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode(
        "ascii"
    )
