# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

DEFAULT_STEPS = [
    ("Welcome call", "manual"),
    ("Email address on file", "email_given"),
    ("First invoice", "first_invoice"),
    ("First payment", "first_payment"),
]
# After the templates users make (default sequence 10): theirs come first.
DEFAULT_SEQUENCE = 100


class SmeOnboardingTemplate(models.Model):
    """Ordered onboarding steps a company runs for each new customer."""

    _name = "sme.onboarding.template"
    _description = "Onboarding template"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(
        default=10, help="The first active template is used for new customers."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.onboarding.template"
        ),
    )
    is_default = fields.Boolean(
        string="Standard template",
        readonly=True,
        copy=False,
        help="The company's standard template, made by the addon: one per company. "
        "Used when the company has no other active template.",
    )
    step_ids = fields.One2many("sme.onboarding.template.step", "template_id", copy=True)

    @api.model_cr
    def init(self):
        # One standard template per company, whoever makes it and however
        # fast: two jobs racing for a company's first customer once made two.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_onboarding_template_default_uniq"
            " ON sme_onboarding_template (company_id) WHERE is_default"
        )

    @api.model
    def _sme_template_for(self, company):
        """The company's first active template; the company's standard one
        is made when missing."""
        template = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return template or self._sme_default_template(company)

    @api.model
    def _sme_default_template(self, company):
        """Race-safe get-or-create of the company's standard template.

        The row is inserted with ``ON CONFLICT DO NOTHING`` against the
        partial unique index: a second transaction waits for the first and
        then, under Odoo's REPEATABLE READ, gets a serialization failure
        (the committed row is not in its snapshot), which Odoo's RPC layer
        and queue_job retry; the retry finds the template. Never two."""
        Template = self.sudo().with_context(active_test=False)
        template = Template.search(
            [("company_id", "=", company.id), ("is_default", "=", True)]
        )
        if template:
            return template
        self.env.cr.execute(
            "INSERT INTO sme_onboarding_template"
            " (name, sequence, active, company_id, is_default,"
            "  create_uid, write_uid, create_date, write_date)"
            " VALUES (%s, %s, true, %s, true, %s, %s,"
            " now() at time zone 'UTC', now() at time zone 'UTC')"
            " ON CONFLICT (company_id) WHERE is_default DO NOTHING RETURNING id",
            (
                _("Standard onboarding"),
                DEFAULT_SEQUENCE,
                company.id,
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        if not row:  # made and committed before this transaction began
            return Template.search(
                [("company_id", "=", company.id), ("is_default", "=", True)]
            )
        template = Template.browse(row[0])
        for index, (name, trigger) in enumerate(DEFAULT_STEPS, 1):
            self.env["sme.onboarding.template.step"].sudo().create(
                {
                    "template_id": template.id,
                    "name": name,
                    "trigger": trigger,
                    "sequence": 10 * index,
                }
            )
        template.invalidate_cache()
        return template

    @api.model
    def _sme_create_missing_defaults(self):
        """Standard templates for the companies without one (install,
        migration). Returns the companies that got one."""
        companies = self.env["res.company"].sudo().search([])
        have = (
            self.sudo()
            .with_context(active_test=False)
            .search([("is_default", "=", True)])
            .mapped("company_id")
        )
        for company in companies - have:
            self._sme_default_template(company)
        return companies - have
