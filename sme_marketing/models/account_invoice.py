# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountInvoice(models.Model):
    """Invoices carry the UTM campaign, source and medium (utm.mixin), as
    leads do: revenue and first invoices are attributed to campaigns by that
    key. A customer group's fixed discount is added as one line when a
    customer invoice is validated; its percentage is set on the lines as
    they are made (see account.invoice.line)."""

    _name = "account.invoice"
    _inherit = ["account.invoice", "utm.mixin"]

    campaign_id = fields.Many2one(index=True)

    @api.multi
    def action_invoice_open(self):
        # Before the validation (and the credit check of the customer
        # master), so that the customer is charged and checked net of it.
        self.filtered(
            lambda i: i.state == "draft" and i.type == "out_invoice"
        )._sme_add_group_discount()
        return super(AccountInvoice, self).action_invoice_open()

    @api.multi
    def _sme_customer_group(self):
        """The customer group whose discount applies to this customer
        invoice (an empty recordset when none does)."""
        self.ensure_one()
        group = self.partner_id.commercial_partner_id.sme_customer_group_id
        if (
            self.type != "out_invoice"
            or not group
            or not group._sme_applies_to(self.company_id or self.env.user.company_id)
        ):
            return self.env["sme.customer.group"]
        return group

    @api.multi
    def _sme_group_percent(self):
        """The line discount (%) the customer's group gives on this invoice
        while it is a draft (0.0 when none)."""
        self.ensure_one()
        if self.state not in (False, "draft"):
            return 0.0
        group = self._sme_customer_group()
        return group._sme_percent() if group else 0.0

    @api.multi
    def _sme_add_group_discount(self):
        """One negative line "Customer group discount: <group>" for the
        fixed discount of the customer's group, capped at the invoice total;
        never a second one (the line is marked)."""
        for invoice in self:
            group = invoice._sme_customer_group()
            if group.discount_type != "fixed" or group.amount <= 0:
                continue
            lines = invoice.invoice_line_ids
            if lines.filtered("sme_group_discount"):
                continue
            company = invoice.company_id
            amount = (
                (group.currency_id or company.currency_id)
                .with_context(date=invoice.date_invoice or fields.Date.today())
                .compute(group.amount, invoice.currency_id)
            )
            amount = min(amount, invoice.amount_total)
            if invoice.currency_id.compare_amounts(amount, 0.0) <= 0:
                continue
            # A discount lowers the revenue it is given on: the account of
            # the invoice's first line (else the company's income account).
            account = lines[:1].account_id or self._sme_income_account(company)
            self.env["account.invoice.line"].create(
                {
                    "invoice_id": invoice.id,
                    "name": _("Customer group discount: %s") % group.name,
                    "quantity": 1.0,
                    "price_unit": -amount,
                    "account_id": account.id,
                    "sme_group_discount": True,
                    "sequence": max(lines.mapped("sequence") or [0]) + 1,
                }
            )

    @api.model
    def _sme_income_account(self, company):
        """The company's default income account: the product category
        default of its chart (as on an invoice line without product), else
        any income account of the company."""
        account = (
            self.env["ir.property"]
            .with_context(force_company=company.id)
            .sudo()
            .get("property_account_income_categ_id", "product.category")
        )
        if account and account.company_id == company:
            return account
        account = (
            self.env["account.account"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("deprecated", "=", False),
                    (
                        "user_type_id",
                        "=",
                        self.env.ref("account.data_account_type_revenue").id,
                    ),
                ],
                limit=1,
            )
        )
        if not account:
            raise UserError(
                _(
                    "%s has no income account (no chart of accounts yet): "
                    "install one in Invoicing's settings."
                )
                % company.name
            )
        return account
