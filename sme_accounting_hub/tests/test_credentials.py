"""Credentials are encrypted at rest with the key from the config, never
returned by read(), and unreadable without the right key."""
from cryptography.fernet import Fernet

from odoo.exceptions import AccessError, UserError
from odoo.tests import common
from odoo.tools import config

from odoo.addons.sme_accounting_hub.tools import secrets


class TestCredentials(common.SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestCredentials, cls).setUpClass()
        cls.backend = cls.env["sme.accounting.backend"].create({
            "name": "Zoho", "system": "zoho", "url": "https://books.zoho.in"})

    def test_stored_encrypted_and_never_read_back(self):
        self.backend.write({"password": "s3cret-Passw0rd", "client_secret": "cs-123456"})
        self.env.cr.execute("SELECT name, ciphertext FROM sme_accounting_credential WHERE backend_id = %s",
                            (self.backend.id,))
        rows = dict(self.env.cr.fetchall())
        self.assertEqual(set(rows), {"password", "client_secret"})
        self.assertNotIn("s3cret", rows["password"])
        self.assertEqual(secrets.decrypt(config["sme_hub_secret_key"], rows["password"]), "s3cret-Passw0rd")
        values = self.backend.read(["password", "client_secret", "secrets_set"])[0]
        self.assertEqual((values["password"], values["client_secret"]), (False, False))
        self.assertEqual(values["secrets_set"], "client_secret, password")
        self.assertEqual(self.backend._secret("password"), "s3cret-Passw0rd")

    def test_nobody_reads_the_credential_table(self):
        self.backend.password = "s3cret-Passw0rd"
        user = self.env["res.users"].create({
            "name": "Hub manager", "login": "hub_mgr_cred", "email": "hub@example.in",
            "groups_id": [(6, 0, [self.env.ref("sme_accounting_hub.group_sme_accounting_hub_manager").id,
                                  self.env.ref("base.group_system").id])]})
        with self.assertRaises(AccessError):
            self.env["sme.accounting.credential"].sudo(user).search_read([], ["ciphertext"])

    def test_wrong_or_missing_key_is_a_clear_error(self):
        self.backend.password = "s3cret-Passw0rd"
        original = config["sme_hub_secret_key"]
        try:
            config["sme_hub_secret_key"] = Fernet.generate_key().decode()
            with self.assertRaises(UserError) as caught:
                self.backend._secret("password")
            self.assertIn("cannot be read", caught.exception.name)
            config["sme_hub_secret_key"] = ""
            with self.assertRaises(UserError) as caught:
                self.backend.password = "other"
            self.assertIn("No SME Hub secret key", caught.exception.name)
        finally:
            config["sme_hub_secret_key"] = original

    def test_rotation_reencrypts_everything(self):
        self.backend.write({"password": "s3cret-Passw0rd", "refresh_token": "rt-987654"})
        old, new = config["sme_hub_secret_key"], Fernet.generate_key().decode()
        Credential = self.env["sme.accounting.credential"]
        self.assertEqual(Credential._sme_rotate_key(old, new) >= 2, True)
        try:
            config["sme_hub_secret_key"] = new
            self.assertEqual(self.backend._secret("refresh_token"), "rt-987654")
        finally:
            config["sme_hub_secret_key"] = old
            Credential._sme_rotate_key(new, old)

    def test_masking(self):
        self.assertEqual(secrets.mask("token=rt-987654 sent", ["rt-987654"]), "token=******** sent")
