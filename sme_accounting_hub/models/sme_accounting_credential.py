# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.sme_customer_master.tools import secrets


class SmeAccountingCredential(models.Model):
    """Encrypted secrets of the backends. No access rights are granted on
    this model: it is read and written only by the hub's own code (sudo),
    so no read() over XML-RPC returns a secret, not even its ciphertext."""

    _name = "sme.accounting.credential"
    _inherit = ["sme.secret.key.mixin"]
    _description = "Accounting connection secret (encrypted)"

    backend_id = fields.Many2one(
        "sme.accounting.backend", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, readonly=True
    )
    name = fields.Char(required=True)
    ciphertext = fields.Text(required=True, prefetch=False)

    _sql_constraints = [
        (
            "backend_name_uniq",
            "unique(backend_id, name)",
            "One value per secret and connection.",
        ),
    ]

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        # Not even the superuser gets the ciphertext through the API; the
        # hub's own code reads it with SQL (_rows).
        fields = [
            name for name in (fields or list(self._fields)) if name != "ciphertext"
        ]
        return super(SmeAccountingCredential, self).read(fields, load=load)

    @api.multi
    def export_data(self, fields_to_export, raw_data=False):
        raise AccessError(_("Stored credentials cannot be exported."))

    @api.model
    def _rows(self, backend_ids, name=None):
        """``[(id, backend_id, name, ciphertext)]`` of the given backends."""
        query = (
            "SELECT id, backend_id, name, ciphertext FROM sme_accounting_credential"
            " WHERE backend_id IN %s"
        )
        params = [tuple(backend_ids) or (0,)]
        if name:
            query += " AND name = %s"
            params.append(name)
        self.env.cr.execute(query + " ORDER BY id", params)
        return self.env.cr.fetchall()

    @api.model
    def _store(self, backend, name, value):
        key = self._sme_secret_key()
        try:
            token = secrets.encrypt(key, value)
        except secrets.SecretKeyError as error:
            raise UserError(str(error)) from None
        existing = self._rows(backend.ids, name)
        if existing:
            self.sudo().browse(existing[0][0]).write({"ciphertext": token})
        else:
            self.sudo().create(
                {"backend_id": backend.id, "name": name, "ciphertext": token}
            )

    @api.model
    def _read(self, backend, name):
        """The plaintext secret, or None when none is stored."""
        stored = self._rows(backend.ids, name)
        if not stored:
            return None
        try:
            return secrets.decrypt(self._sme_secret_key(), stored[0][3])
        except secrets.SecretKeyError as error:
            raise UserError(str(error)) from None

    @api.model
    def _sme_rotate_key(self, old_key, new_key):
        """Re-encrypt every stored secret from ``old_key`` to ``new_key``
        (scripts/rotate-secret-key.sh). All or nothing: one unreadable
        secret stops it before anything is written."""
        self.env.cr.execute("SELECT id, ciphertext FROM sme_accounting_credential")
        tokens = [
            (row_id, secrets.reencrypt(old_key, new_key, token))
            for row_id, token in self.env.cr.fetchall()
        ]
        for row_id, token in tokens:
            self.sudo().browse(row_id).write({"ciphertext": token})
        return len(tokens)

    @api.model
    def _all_plaintexts(self, backend):
        """Every secret of a backend: what logs and payloads must mask."""
        key = self._sme_secret_key()
        return [
            secrets.decrypt(key, token)
            for _id, _backend, _name, token in self._rows(backend.ids)
        ]
