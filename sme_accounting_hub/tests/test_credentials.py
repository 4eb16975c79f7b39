# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Credentials are encrypted at rest with the key from the config (or,
with none configured, the data directory's key file), never returned by
read(), and unreadable without the right key."""
import os
import shutil
import stat
import tempfile
import unittest
from unittest import mock

from cryptography.fernet import Fernet

from odoo.exceptions import AccessError, UserError
from odoo.tests import common
from odoo.tools import config

from odoo.addons.sme_customer_master.tools import secrets


class TestCredentials(common.SavepointCase):
    @classmethod
    def setUpClass(cls):
        super(TestCredentials, cls).setUpClass()
        cls.backend = cls.env["sme.accounting.backend"].create(
            {"name": "Marg", "system": "marg", "direction": "pull"}
        )
        cls.settings = (
            cls.backend.settings_ref
        )  # the secrets are written and read through the system's settings

    def test_stored_encrypted_and_never_read_back(self):
        self.settings.write({"password": "s3cret-Passw0rd", "api_key": "ak-123456"})
        self.env.cr.execute(
            "SELECT name, ciphertext FROM sme_accounting_credential WHERE backend_id = %s",
            (self.backend.id,),
        )
        rows = dict(self.env.cr.fetchall())
        self.assertEqual(set(rows), {"password", "api_key"})
        self.assertNotIn("s3cret", rows["password"])
        self.assertEqual(
            secrets.decrypt(config["sme_hub_secret_key"], rows["password"]),
            "s3cret-Passw0rd",
        )
        values = self.settings.read(["password", "api_key", "secrets_set"])[0]
        self.assertEqual((values["password"], values["api_key"]), (False, False))
        self.assertEqual(values["secrets_set"], "api_key, password")
        self.assertEqual(self.settings._secret("password"), "s3cret-Passw0rd")
        self.assertEqual(self.settings._connector_settings()["api_key"], "ak-123456")

    def test_nobody_reads_the_credential_table(self):
        self.settings.password = "s3cret-Passw0rd"
        user = self.env["res.users"].create(
            {
                "name": "Hub manager",
                "login": "hub_mgr_cred",
                "email": "hub@example.in",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "sme_accounting_hub.group_sme_accounting_hub_manager"
                            ).id,
                            self.env.ref("base.group_system").id,
                        ],
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.env["sme.accounting.credential"].sudo(user).search_read(
                [], ["ciphertext"]
            )

    def test_wrong_or_missing_key_is_a_clear_error(self):
        self.settings.password = "s3cret-Passw0rd"
        original, data_dir = config["sme_hub_secret_key"], config["data_dir"]
        scratch = tempfile.mkdtemp()
        try:
            config["sme_hub_secret_key"] = Fernet.generate_key().decode()
            with self.assertRaises(UserError) as caught:
                self.settings._secret("password")
            self.assertIn("cannot be read", caught.exception.name)
            # No key configured: the data directory's key file is made and
            # used, which is not the key the password was written with.
            config["sme_hub_secret_key"], config["data_dir"] = "", scratch
            with self.assertRaises(UserError) as caught:
                self.settings._secret("password")
            self.assertIn("cannot be read", caught.exception.name)
            self.settings.api_key = "api-key-123456"
            self.assertEqual(self.settings._secret("api_key"), "api-key-123456")
            # ... and when even that cannot be made, storing says why.
            config["data_dir"] = os.path.join(
                scratch, "sme_hub_secret.key", "not-a-folder"
            )
            with self.assertRaises(UserError) as caught:
                self.settings.password = "other"
            self.assertIn("cannot be read or made", caught.exception.name)
        finally:
            config["sme_hub_secret_key"], config["data_dir"] = original, data_dir
            shutil.rmtree(scratch)

    def test_rotation_reencrypts_everything(self):
        self.settings.write({"password": "s3cret-Passw0rd", "api_key": "rt-987654"})
        old, new = config["sme_hub_secret_key"], Fernet.generate_key().decode()
        Credential = self.env["sme.accounting.credential"]
        self.assertEqual(Credential._sme_rotate_key(old, new) >= 2, True)
        try:
            config["sme_hub_secret_key"] = new
            self.assertEqual(self.settings._secret("api_key"), "rt-987654")
        finally:
            config["sme_hub_secret_key"] = old
            Credential._sme_rotate_key(new, old)

    def test_masking(self):
        self.assertEqual(
            secrets.mask("token=rt-987654 sent", ["rt-987654"]), "token=******** sent"
        )


class TestKeyFile(unittest.TestCase):
    """With no key configured, the hub keeps its own in the data directory."""

    def setUp(self):
        super(TestKeyFile, self).setUp()
        self.data_dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.data_dir)
        self.config = {
            "data_dir": os.path.join(self.data_dir, "odoo"),
            "sme_hub_secret_key": "",
        }
        self.path = os.path.join(self.config["data_dir"], "sme_hub_secret.key")
        environment = mock.patch.dict(os.environ)
        environment.start()
        self.addCleanup(environment.stop)
        os.environ.pop(secrets.ENV_KEY, None)

    def test_made_once_private_and_reused(self):
        self.assertEqual(secrets.key_source(self.config), ("data_dir", self.path))
        self.assertFalse(os.path.exists(self.path), "key_source() must create nothing")
        with self.assertLogs(secrets.__name__, "WARNING") as logged:
            key = secrets.load_key(self.config)
        self.assertIn("generated a new key in %s" % self.path, logged.output[0])
        self.assertEqual(stat.S_IMODE(os.stat(self.path).st_mode), 0o600)
        self.assertEqual(secrets.load_key(self.config), key)
        self.assertEqual(secrets.decrypt(key, secrets.encrypt(key, "x")), "x")
        self.assertEqual(os.listdir(self.config["data_dir"]), ["sme_hub_secret.key"])

    def test_configured_key_or_environment_wins(self):
        self.config["sme_hub_secret_key"] = "from-config"
        self.assertEqual(
            (secrets.key_source(self.config), secrets.load_key(self.config)),
            (("config", None), "from-config"),
        )
        os.environ[secrets.ENV_KEY] = "from-env"
        self.assertEqual(
            (secrets.key_source(self.config), secrets.load_key(self.config)),
            (("environment", None), "from-env"),
        )
        self.assertFalse(os.path.exists(self.path))

    def test_loosened_file_is_tightened_and_empty_file_is_not_replaced(self):
        key = secrets.load_key(self.config)
        os.chmod(self.path, 0o644)
        self.assertEqual(secrets.load_key(self.config), key)
        self.assertEqual(stat.S_IMODE(os.stat(self.path).st_mode), 0o600)
        open(self.path, "w").close()
        with self.assertRaises(secrets.SecretKeyError) as caught:
            secrets.load_key(self.config)
        self.assertIn("is empty", str(caught.exception))
        self.assertEqual(os.path.getsize(self.path), 0)
