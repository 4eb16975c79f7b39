# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sme_customer_master.tools import arguments as check
from odoo.addons.sme_customer_master.tools.clock import sme_today

# Key of the transaction lock that serialises the settlement runs of a company.
SETTLEMENT_LOCK = 1820180


class SaleCommissionSettlement(models.Model):
    """The monthly run: sale_commission's settle wizard, then its invoice
    wizard; each settlement becomes one vendor bill of its partner."""

    _inherit = "sale.commission.settlement"

    @api.model
    def _sme_commission_product(self, company):
        """The company's commission service, made once with an expense account
        of the company so that the bills can be validated."""
        if company.sme_commission_product_id:
            return company.sme_commission_product_id
        expense = (
            self.env["account.account"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    (
                        "user_type_id",
                        "=",
                        self.env.ref("account.data_account_type_expenses").id,
                    ),
                ],
                limit=1,
            )
        )
        product = (
            self.env["product.product"]
            .sudo()
            .create(
                {
                    "name": _("Channel partner commission"),
                    "type": "service",
                    "company_id": company.id,
                    "sale_ok": False,
                    "purchase_ok": True,
                    "commission_free": True,
                    "property_account_expense_id": expense.id,
                }
            )
        )
        company.sudo().sme_commission_product_id = product
        return product

    @api.model
    def sme_run_monthly_settlement(self, month=None, company_id=None):
        """Settle the commissions of every channel partner of the company on
        the invoices dated up to the end of ``month`` (a date in it, default:
        last month), then bill each settlement. Running it again settles only
        what was paid since (payment-based commissions in proportion to the
        payments): a period is never paid twice.
        Returns ``{'settlement_ids', 'bill_ids', 'unbilled_ids'}``
        (unbilled: settlements whose total is not positive, left to the
        accountant: a refund larger than the month's commissions)."""
        company = self.env["res.company"]._sme_company_for_call(company_id)
        if month in (None, False, ""):
            month = sme_today(self) - relativedelta(months=1)
        elif isinstance(month, str):
            try:
                month = fields.Date.from_string(month)
            except ValueError:
                raise check.InvalidArgument(
                    "month", "a date like '2026-01-31'", month
                ) from None
        elif not isinstance(month, date):
            raise check.InvalidArgument("month", "a date like '2026-01-31'", month)
        # Two runs of one company at once would both see the same lines as
        # unsettled: the second waits for the first, then finds them settled.
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (SETTLEMENT_LOCK, company.id)
        )
        first_of_next = date(month.year, month.month, 1) + relativedelta(months=1)
        agents = self.env["res.partner"].search(
            [
                ("agent", "=", True),
                ("company_id", "in", [company.id, False]),
                ("settlement", "=", "monthly"),
            ]
        )
        env = self.with_context(force_company=company.id, company_id=company.id).env
        if agents:
            wizard = env["sale.commission.make.settle"].create(
                {
                    "date_to": fields.Date.to_string(first_of_next),
                    "agents": [(6, 0, agents.ids)],
                }
            )
            wizard.action_settle()
        to_bill = env["sale.commission.settlement"].search(
            [
                ("state", "=", "settled"),
                ("company_id", "=", company.id),
                ("agent", "in", agents.ids),
                ("date_to", "<", fields.Date.to_string(first_of_next)),
            ]
        )
        positive = to_bill.filtered(lambda s: s.total > 0)
        if positive:
            journal = env["account.journal"].search(
                [("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1
            )
            if not journal:
                raise UserError(
                    _("Company %s has no purchase journal for the commission bills.")
                    % company.name
                )
            invoice_wizard = env["sale.commission.make.invoice"].create(
                {
                    "journal": journal.id,
                    "product": self._sme_commission_product(company).id,
                    "settlements": [(6, 0, positive.ids)],
                    "date": fields.Date.to_string(first_of_next),
                }
            )
            invoice_wizard.button_create()
        return {
            "settlement_ids": to_bill.ids,
            "bill_ids": positive.mapped("invoice").ids,
            "unbilled_ids": (to_bill - positive).ids,
        }

    @api.model
    def _cron_sme_monthly_settlement(self):
        for company in self.env["res.company"].search([]):
            self.sudo().sme_run_monthly_settlement(company_id=company.id)
