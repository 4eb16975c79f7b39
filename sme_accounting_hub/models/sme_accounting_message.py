# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingMessage(models.TransientModel):
    """A dialog that tells the user the outcome of a button."""

    _name = "sme.accounting.message"
    _description = "Accounting hub message"

    message = fields.Text(readonly=True)

    @api.model
    def _dialog(self, title, message):
        """The action that shows ``message`` in a small dialog titled
        ``title`` (Odoo 11 has no notification client action)."""
        return {
            "name": title,
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "res_id": self.create({"message": message}).id,
        }
