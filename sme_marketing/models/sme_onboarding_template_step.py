# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

TRIGGERS = [
    ("manual", "Done by hand"),
    ("email_given", "Email address given"),
    ("first_invoice", "First invoice validated"),
    ("first_payment", "First invoice paid"),
]


class SmeOnboardingTemplateStep(models.Model):
    _name = "sme.onboarding.template.step"
    _description = "Onboarding template step"
    _order = "sequence, id"

    template_id = fields.Many2one(
        "sme.onboarding.template", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    trigger = fields.Selection(
        TRIGGERS,
        required=True,
        default="manual",
        help="What completes the step: a user, or an event.",
    )
