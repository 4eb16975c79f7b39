from odoo import _, api, fields, models

DEFAULT_STEPS = [
    ("Welcome call", "manual"),
    ("Email address on file", "email_given"),
    ("First invoice", "first_invoice"),
    ("First payment", "first_payment"),
]


class SmeOnboardingTemplate(models.Model):
    """Ordered onboarding steps a company runs for each new customer."""

    _name = "sme.onboarding.template"
    _description = "Onboarding template"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10, help="The first active template is used for new customers.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env["res.company"]._company_default_get("sme.onboarding.template"))
    step_ids = fields.One2many("sme.onboarding.template.step", "template_id", copy=True)

    @api.model
    def _sme_template_for(self, company):
        """The company's first active template; a standard one is made for
        a company that has none yet."""
        template = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not template:
            template = self.sudo().create({
                "name": _("Standard onboarding"), "company_id": company.id,
                "step_ids": [(0, 0, {"name": name, "trigger": trigger, "sequence": 10 * index})
                             for index, (name, trigger) in enumerate(DEFAULT_STEPS, 1)],
            })
        return template
