# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models

from odoo.addons.sme_customer_master.tools.create_many import create_many


class SmeOnboarding(models.Model):
    """One customer's run through an onboarding template."""

    _name = "sme.onboarding"
    _description = "Customer onboarding"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "last_progress_date, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    template_id = fields.Many2one("sme.onboarding.template", readonly=True)
    step_ids = fields.One2many("sme.onboarding.step", "onboarding_id")
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        group_operator="avg",
        help="Percentage of steps done.",
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")],
        default="running",
        required=True,
        readonly=True,
        index=True,
        track_visibility="onchange",
    )
    last_progress_date = fields.Date(
        default=fields.Date.context_today, required=True, readonly=True
    )
    stalled = fields.Boolean(
        readonly=True,
        help="No progress for the company's stall period; "
        "a follow-up activity was created.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer is onboarded once per company.",
        ),
    ]

    @api.depends("step_ids.done")
    def _compute_progress(self):
        for onboarding in self:
            steps = onboarding.step_ids
            onboarding.progress = (
                100.0 * len(steps.filtered("done")) / len(steps) if steps else 100.0
            )

    @api.model
    def _sme_start(self, partner):
        company = partner.company_id or self.env.user.company_id
        existing = self.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )
        if existing:
            return existing
        template = self.env["sme.onboarding.template"]._sme_template_for(company)
        # What the customer already did is written with the steps, not
        # completed afterwards: one insert per step and one progress
        # computation (this runs for every customer created, imports too).
        today = fields.Date.context_today(self)
        done_triggers = {"email_given"} if partner.email else set()
        steps = [
            {
                "name": step.name,
                "sequence": step.sequence,
                "trigger": step.trigger,
                "done": step.trigger in done_triggers,
                "done_date": today if step.trigger in done_triggers else False,
            }
            for step in template.step_ids
        ]
        all_done = bool(steps) and all(step["done"] for step in steps)
        return self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "template_id": template.id,
                "state": "done" if all_done else "running",
                "step_ids": [(0, 0, step) for step in steps],
            }
        )

    @api.model
    def _sme_start_many(self, partners):
        """``_sme_start`` for customers created together (an import): the
        onboardings and their steps in two INSERTs."""
        Step = self.env["sme.onboarding.step"].sudo()
        have = set(
            self.sudo()
            .search([("partner_id", "in", partners.ids)])
            .mapped(
                lambda onboarding: (onboarding.partner_id.id, onboarding.company_id.id)
            )
        )
        today = fields.Date.context_today(self)
        templates, new, steps_of = {}, [], []
        for partner in partners:
            company = partner.company_id or self.env.user.company_id
            if (partner.id, company.id) in have:
                continue
            if company not in templates:
                templates[company] = self.env[
                    "sme.onboarding.template"
                ]._sme_template_for(company)
            done_triggers = {"email_given"} if partner.email else set()
            steps = [
                {
                    "name": step.name,
                    "sequence": step.sequence,
                    "trigger": step.trigger,
                    "done": step.trigger in done_triggers,
                    "done_date": today if step.trigger in done_triggers else False,
                }
                for step in templates[company].step_ids
            ]
            new.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "template_id": templates[company].id,
                    "state": "done"
                    if steps and all(step["done"] for step in steps)
                    else "running",
                }
            )
            steps_of.append(steps)
        onboardings = create_many(self.sudo(), new)
        create_many(
            Step,
            [
                dict(step, onboarding_id=onboarding.id)
                for onboarding, steps in zip(onboardings, steps_of)
                for step in steps
            ],
        )
        return onboardings

    @api.model
    def _sme_complete_for(self, partner, company, trigger):
        self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "running"),
            ]
        )._sme_complete(trigger)

    @api.multi
    def _sme_complete(self, trigger):
        for onboarding in self:
            onboarding.step_ids.filtered(
                lambda s: s.trigger == trigger and not s.done
            )._sme_mark_done()

    @api.multi
    def _sme_progressed(self):
        """Called when a step is done: restart the stall clock, finish when all done."""
        for onboarding in self:
            values = {
                "last_progress_date": fields.Date.context_today(self),
                "stalled": False,
            }
            if all(onboarding.step_ids.mapped("done")):
                values["state"] = "done"
            onboarding.sudo().write(values)

    @api.model
    def _cron_sme_flag_stalled(self, today=None):
        """Running onboardings without progress for the company's stall
        period get one follow-up activity for the customer's salesperson."""
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        todo = self.env.ref("mail.mail_activity_data_todo")
        flagged = self.browse()
        for company in self.env["res.company"].search([]):
            limit = today - timedelta(days=company.sme_onboarding_stall_days or 0)
            stalled = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "running"),
                    ("stalled", "=", False),
                    ("last_progress_date", "<=", fields.Date.to_string(limit)),
                ]
            )
            for onboarding in stalled:
                self.env["mail.activity"].sudo().create(
                    {
                        "res_id": onboarding.id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "activity_type_id": todo.id,
                        "summary": _("Onboarding of %s has stalled")
                        % onboarding.partner_id.name,
                        "note": _("No onboarding step done since %s.")
                        % onboarding.last_progress_date,
                        "user_id": (
                            onboarding.partner_id.user_id
                            or self.env.ref("base.user_root")
                        ).id,
                        "date_deadline": fields.Date.to_string(today),
                    }
                )
            stalled.write({"stalled": True})
            flagged |= stalled
        return flagged
