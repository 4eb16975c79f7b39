# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .sme_onboarding_template_step import TRIGGERS


class SmeOnboardingStep(models.Model):
    _name = "sme.onboarding.step"
    _description = "Customer onboarding step"
    _order = "sequence, id"

    onboarding_id = fields.Many2one(
        "sme.onboarding", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="onboarding_id.company_id", store=True, readonly=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    trigger = fields.Selection(TRIGGERS, required=True, default="manual")
    done = fields.Boolean(readonly=True)
    done_date = fields.Date(readonly=True)

    @api.multi
    def action_mark_done(self):
        """Button for the steps done by hand."""
        self.filtered(lambda s: not s.done)._sme_mark_done()
        return True

    @api.multi
    def _sme_mark_done(self):
        if not self:
            return
        self.sudo().write({"done": True, "done_date": fields.Date.context_today(self)})
        self.mapped("onboarding_id")._sme_progressed()
