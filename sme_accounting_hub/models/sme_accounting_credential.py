from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..tools import secrets


class SmeAccountingCredential(models.Model):
    """Encrypted secrets of the backends. No access rights are granted on
    this model: it is read and written only by the hub's own code (sudo),
    so no read() over XML-RPC returns a secret, not even its ciphertext."""

    _name = "sme.accounting.credential"
    _description = "Accounting connection secret (encrypted)"

    backend_id = fields.Many2one("sme.accounting.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    name = fields.Char(required=True)
    ciphertext = fields.Text(required=True)

    _sql_constraints = [
        ("backend_name_uniq", "unique(backend_id, name)", "One value per secret and connection."),
    ]

    @api.model
    def _key(self):
        try:
            return secrets.load_key(config)
        except secrets.SecretKeyError as error:
            raise UserError(str(error))

    @api.model
    def _store(self, backend, name, value):
        key = self._key()
        try:
            token = secrets.encrypt(key, value)
        except secrets.SecretKeyError as error:
            raise UserError(str(error))
        existing = self.sudo().search([("backend_id", "=", backend.id), ("name", "=", name)])
        if existing:
            existing.ciphertext = token
        else:
            self.sudo().create({"backend_id": backend.id, "name": name, "ciphertext": token})

    @api.model
    def _read(self, backend, name):
        """The plaintext secret, or None when none is stored."""
        stored = self.sudo().search([("backend_id", "=", backend.id), ("name", "=", name)])
        if not stored:
            return None
        try:
            return secrets.decrypt(self._key(), stored.ciphertext)
        except secrets.SecretKeyError as error:
            raise UserError(str(error))

    @api.model
    def _sme_rotate_key(self, old_key, new_key):
        """Re-encrypt every stored secret from ``old_key`` to ``new_key``
        (scripts/rotate-secret-key.sh). All or nothing: one unreadable
        secret stops it before anything is written."""
        rows = self.sudo().search([])
        tokens = [(row, secrets.reencrypt(old_key, new_key, row.ciphertext)) for row in rows]
        for row, token in tokens:
            row.ciphertext = token
        return len(tokens)

    @api.model
    def _all_plaintexts(self, backend):
        """Every secret of a backend: what logs and payloads must mask."""
        return [self._read(backend, name) for name in
                self.sudo().search([("backend_id", "=", backend.id)]).mapped("name")]
