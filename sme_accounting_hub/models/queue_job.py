# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class QueueJob(models.Model):
    _inherit = "queue.job"

    sme_interruptions = fields.Integer(
        "Interrupted",
        readonly=True,
        help="Times a server stop (or a time limit) killed this sync job while it ran; "
        "it is queued again on its own up to a limit, then failed with the reason.",
    )

    @api.multi
    def related_action_sme_record(self):
        """The "Related" button of a push job (``sme_job_export(model,
        res_id)``): the record it sends (the invoice, the customer...), not
        the connection the job runs on. None when the record was deleted
        since (queue_job then says there is nothing to open)."""
        self.ensure_one()
        model, res_id = self.args[:2]
        record = self.env[model].browse(res_id).exists() if model in self.env else None
        if not record:
            return None
        return {
            "name": _("Sent by this job"),
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_type": "form",
            "view_mode": "form",
        }
