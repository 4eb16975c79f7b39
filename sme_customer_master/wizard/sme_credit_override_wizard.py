# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class SmeCreditOverrideWizard(models.TransientModel):
    """Asks an accounting manager to confirm the validation of invoices whose
    customer is on credit hold or over its credit limit, and why: the
    answer is logged in each invoice's chatter."""

    _name = "sme.credit.override.wizard"
    _description = "Validate invoices despite the credit check"

    invoice_ids = fields.Many2many("account.invoice", string="Invoices", readonly=True)
    message = fields.Text(readonly=True)
    reason = fields.Char(
        help="Logged in the invoice's chatter with your name and the time."
    )

    @api.model
    def _sme_action_for(self, problems):
        """The window action that asks about ``problems`` (see
        ``account.invoice._sme_credit_problems``)."""
        invoices = self.env["account.invoice"].browse()
        for invoice, _summary, _refusal in problems:
            invoices |= invoice
        wizard = self.create(
            {
                "invoice_ids": [(6, 0, invoices.ids)],
                "message": "\n".join(
                    summary for _invoice, summary, _refusal in problems
                )
                + "\n"
                + _("Validate anyway?"),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Credit check"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        # Without sme_credit_confirm the invoices validate (the user is a
        # manager, checked again there) and the override is logged.
        context = dict(self.env.context, sme_credit_override_reason=self.reason)
        context.pop("sme_credit_confirm", None)
        self.invoice_ids.with_context(context).action_invoice_open()
        return {"type": "ir.actions.act_window_close"}
