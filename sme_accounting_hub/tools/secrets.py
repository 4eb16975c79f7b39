"""Credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256, authenticated)
with a key that lives in the Odoo config file or the environment, never in
the database.

Config: ``sme_hub_secret_key = <urlsafe base64 32-byte key>`` in the
``[options]`` section, or the ``SME_HUB_SECRET_KEY`` environment variable
(which wins). ``scripts/setup.sh`` writes a random key once.
"""
import os

from cryptography.fernet import Fernet, InvalidToken

CONFIG_KEY = "sme_hub_secret_key"
ENV_KEY = "SME_HUB_SECRET_KEY"


class SecretKeyError(Exception):
    """The key is missing, malformed, or not the one the secrets were written with."""


def new_key():
    return Fernet.generate_key().decode("ascii")


def load_key(config):
    """The key from the environment or the Odoo ``config`` mapping."""
    key = os.environ.get(ENV_KEY) or config.get(CONFIG_KEY)
    if not key:
        raise SecretKeyError(
            "No SME Hub secret key: set '%s' in the Odoo config file or the %s environment "
            "variable (scripts/setup.sh writes one)." % (CONFIG_KEY, ENV_KEY))
    return key


def _fernet(key):
    try:
        return Fernet(key.encode("ascii") if isinstance(key, str) else key)
    except (ValueError, TypeError):
        raise SecretKeyError("The SME Hub secret key is not a valid Fernet key "
                             "(32 url-safe base64-encoded bytes).")


def encrypt(key, plaintext):
    return _fernet(key).encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(key, token):
    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretKeyError("A stored credential cannot be read with the configured SME Hub "
                             "secret key: the key changed without re-encrypting (see the "
                             "key rotation command in the readme).")


def reencrypt(old_key, new_key_value, token):
    return encrypt(new_key_value, decrypt(old_key, token))


def mask(text, secrets):
    """``text`` with every secret value replaced, for logs and payloads."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "********")
    return text
