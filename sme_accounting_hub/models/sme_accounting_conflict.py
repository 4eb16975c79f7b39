import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SmeAccountingConflict(models.Model):
    """A record both sides changed since the last sync, parked for a person
    to pick a side (conflict policy 'manual')."""

    _name = "sme.accounting.conflict"
    _description = "Accounting sync conflict"
    _order = "id desc"

    backend_id = fields.Many2one("sme.accounting.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    binding_id = fields.Many2one("sme.accounting.binding", required=True, ondelete="cascade")
    model = fields.Char(related="binding_id.model", readonly=True)
    record_name = fields.Char(related="binding_id.record_name", readonly=True)
    odoo_values = fields.Text(readonly=True)
    remote_values = fields.Text(readonly=True)
    remote_version = fields.Char(readonly=True)
    state = fields.Selection([("open", "To review"), ("odoo", "Kept Odoo's"), ("remote", "Kept the accounting system's")],
                             default="open", required=True, readonly=True)

    @api.multi
    def action_keep_remote(self):
        """Apply the accounting system's values to the Odoo record."""
        for conflict in self._open_only():
            record = conflict.binding_id.record()
            record.with_context(sme_hub_importing=True).write(json.loads(conflict.remote_values))
            conflict.binding_id.write({"external_version": conflict.remote_version,
                                       "sync_date": fields.Datetime.now()})
            conflict.state = "remote"
        return True

    @api.multi
    def action_keep_odoo(self):
        """Send Odoo's record to the accounting system again."""
        for conflict in self._open_only():
            conflict.binding_id.write({"external_version": conflict.remote_version})
            conflict.backend_id._enqueue_export(conflict.binding_id.record())
            conflict.state = "odoo"
        return True

    def _open_only(self):
        if self.filtered(lambda c: c.state != "open"):
            raise UserError(_("This conflict was already resolved."))
        return self
