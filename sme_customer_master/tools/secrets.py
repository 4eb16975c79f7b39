# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256, authenticated)
with a key that is never in the database. One key for every SME Hub addon
that stores a secret (the accounting hub's connections, marketing's SMS
gateways): it lives here, in the addon they all depend on.

Where the key comes from, first found wins (:func:`key_source`):

1. the ``SME_HUB_SECRET_KEY`` environment variable;
2. ``sme_hub_secret_key = <urlsafe base64 32-byte key>`` in the ``[options]``
   section of the Odoo config (``scripts/setup.sh`` writes one);
3. otherwise the file ``sme_hub_secret.key`` in Odoo's data directory
   (``data_dir``, the folder that holds the filestore), which SME Hub makes
   itself the first time it needs a key, readable by the server's user only.
   So installing the addon into any Odoo (from Apps, with demo data) works
   without configuring anything, and the key still stays out of the database.
"""
import logging
import os

from cryptography.fernet import Fernet, InvalidToken

_logger = logging.getLogger(__name__)

CONFIG_KEY = "sme_hub_secret_key"
ENV_KEY = "SME_HUB_SECRET_KEY"
KEY_FILE_NAME = "sme_hub_secret.key"

# Key files this process already announced in the log (once each, not per secret).
_announced = set()


class SecretKeyError(Exception):
    """The key is missing, malformed, or not the one the secrets were written with."""


def new_key():
    return Fernet.generate_key().decode("ascii")


def key_file_path(config):
    """The key file used when none is configured: in ``data_dir``."""
    data_dir = config.get("data_dir")
    if not data_dir:
        raise SecretKeyError(
            "No SME Hub secret key: set '%s' in the Odoo config file or the %s "
            "environment variable, or give Odoo a data_dir." % (CONFIG_KEY, ENV_KEY)
        )
    return os.path.join(data_dir, KEY_FILE_NAME)


def key_source(config):
    """Where the key in use comes from: ``('environment', None)``,
    ``('config', None)`` or ``('data_dir', <path of the key file>)``.
    Reads nothing and creates nothing: for forms and scripts."""
    if os.environ.get(ENV_KEY):
        return ("environment", None)
    if config.get(CONFIG_KEY):
        return ("config", None)
    return ("data_dir", key_file_path(config))


def load_key(config):
    """The key from the environment, the Odoo ``config`` mapping, or the
    data directory's key file (made on first use)."""
    source, path = key_source(config)
    if source == "environment":
        return os.environ[ENV_KEY]
    if source == "config":
        return config.get(CONFIG_KEY)
    return _data_dir_key(path)


def _data_dir_key(path):
    try:
        key = _read_key_file(path)
        created = False
        if key is None:
            key, created = _create_key_file(path)
    except OSError as error:
        raise SecretKeyError(
            "No SME Hub secret key is configured and the key file %s cannot be read or "
            "made (%s). Set '%s' in the Odoo config file, or let the Odoo server's "
            "user write its data_dir." % (path, error.strerror or error, CONFIG_KEY)
        ) from None
    if path not in _announced:
        _announced.add(path)
        if created:
            _logger.warning(
                "No %s in the Odoo config: generated a new key in %s (mode 0600) to "
                "encrypt the stored credentials. Back this file up with the "
                "databases: stored credentials cannot be read without it.",
                CONFIG_KEY,
                path,
            )
        else:
            _logger.info(
                "No %s in the Odoo config: using the key in %s", CONFIG_KEY, path
            )
    return key


def _read_key_file(path):
    """The key in ``path``, None when there is no such file."""
    try:
        with open(path) as key_file:
            key = key_file.read().strip()
            mode = os.fstat(key_file.fileno()).st_mode
    except FileNotFoundError:
        return None
    if mode & 0o077:
        # Someone loosened it (a copy, a restore): only the server's user may read it.
        os.chmod(path, 0o600)
        _logger.warning(
            "%s was readable by other users: made it readable by its owner only", path
        )
    if not key:
        # Never overwrite it: an emptied file is a lost key, not a missing one.
        raise SecretKeyError(
            "The SME Hub key file %s is empty: restore it from a backup, or "
            "remove it to start a new key (stored credentials are then lost)." % path
        )
    return key


def _create_key_file(path):
    """Write a new key to ``path`` unless another process just did.
    Returns ``(key, created)``. The key is written to a private temporary
    file first and linked into place, so no process ever reads half a key
    and two workers starting at once end up with the same one."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    key = new_key()
    temporary = os.path.join(
        directory, ".%s.%s.tmp" % (KEY_FILE_NAME, os.urandom(6).hex())
    )
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, (key + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)  # fails if the file exists: never replaces a key
    except FileExistsError:
        return _read_key_file(path), False
    finally:
        os.unlink(temporary)
    return key, True


def _fernet(key):
    try:
        return Fernet(key.encode("ascii") if isinstance(key, str) else key)
    except (ValueError, TypeError):
        raise SecretKeyError(
            "The SME Hub secret key is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from None


def encrypt(key, plaintext):
    return _fernet(key).encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(key, token):
    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretKeyError(
            "A stored credential cannot be read with the configured SME Hub "
            "secret key: the key changed without re-encrypting (see the "
            "key rotation command in the readme)."
        ) from None


def reencrypt(old_key, new_key_value, token):
    return encrypt(new_key_value, decrypt(old_key, token))


def mask(text, secrets):
    """``text`` with every secret value replaced, for logs and payloads."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "********")
    return text
