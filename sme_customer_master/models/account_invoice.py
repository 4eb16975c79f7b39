# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, html_escape

CUSTOMER_INVOICE_TYPES = ("out_invoice", "out_refund")


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    sme_customer_phone = fields.Char(
        string="Customer phone",
        readonly=True,
        states={"draft": [("readonly", False)]},
        help="Instead of choosing the customer: the customer with this phone is "
        "used, or created with the name below when there is none.",
    )
    sme_customer_name = fields.Char(
        string="Customer name", readonly=True, states={"draft": [("readonly", False)]}
    )
    sme_overdue_notified = fields.Boolean(copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Find-or-create the customer from a phone number
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if not vals.get("partner_id") and self._sme_is_customer_invoice_vals(vals):
            if not vals.get("sme_customer_phone"):
                raise UserError(
                    _("Choose the customer, or give the customer's phone number.")
                )
            vals = dict(vals, partner_id=self._sme_customer_from_phone(vals))
        return super(AccountInvoice, self).create(vals)

    @api.model
    def _sme_is_customer_invoice_vals(self, vals):
        return (
            vals.get("type") or self.env.context.get("type") or "out_invoice"
        ) in CUSTOMER_INVOICE_TYPES

    @api.model
    def _sme_customer_from_phone(self, vals):
        company_id = vals.get("company_id")
        if not company_id and vals.get("journal_id"):
            company_id = (
                self.env["account.journal"].browse(vals["journal_id"]).company_id.id
            )
        values = {"phone": vals["sme_customer_phone"]}
        if vals.get("sme_customer_name"):
            values["name"] = vals["sme_customer_name"]
        return self.env["res.partner"].sme_upsert_customer(values, company_id)["id"]

    @api.onchange("sme_customer_phone")
    def _onchange_sme_customer_phone(self):
        """Pick the customer who has the phone typed in the form."""
        if not self.sme_customer_phone:
            return
        found = self.env["res.partner"].sme_find_customer_by_phone(
            self.sme_customer_phone, self.company_id.id or None
        )
        if found:
            self.partner_id = found["id"]
            return
        return {
            "warning": {
                "title": _("New customer"),
                "message": _(
                    "No customer of this company has the phone %s yet. Create one in the "
                    "Customer field (Create and Edit...)."
                )
                % self.sme_customer_phone,
            }
        }

    # ------------------------------------------------------------------
    # Credit limit and credit hold
    # ------------------------------------------------------------------
    @api.onchange("partner_id")
    def _onchange_sme_credit_warning(self):
        """Say at once that the customer picked is on hold or at its limit,
        not only when the invoice is validated."""
        customer = self.partner_id.commercial_partner_id
        if self.type != "out_invoice" or not customer:
            return
        if customer.sme_credit_hold:
            message = _(
                "Customer '%s' is on credit hold%s. The invoice can be saved as a "
                "draft; only an accounting manager can validate it."
            ) % (
                customer.name,
                _(" (%s)") % customer.sme_credit_hold_reason
                if customer.sme_credit_hold_reason
                else "",
            )
        elif customer.credit_limit > 0:
            company = self.company_id or self.env.user.company_id
            exposure = customer._sme_open_receivable(company)
            if (
                float_compare(
                    exposure,
                    customer.credit_limit,
                    precision_rounding=company.currency_id.rounding,
                )
                < 0
            ):
                return
            message = _(
                "Customer '%s' already has %s of open receivables, at or past its "
                "credit limit of %s: only an accounting manager can validate a new "
                "invoice."
            ) % (
                customer.name,
                _format_amount(exposure, company.currency_id),
                _format_amount(customer.credit_limit, company.currency_id),
            )
        else:
            return
        return {"warning": {"title": _("Credit check"), "message": message}}

    @api.multi
    def action_invoice_open(self):
        """Billing users are refused invoices of customers on hold or over
        their limit. Accounting managers may validate them: from the form's
        Validate button (context ``sme_credit_confirm``) they are first asked
        to confirm; every such validation is logged in the chatter."""
        problems = self._sme_credit_problems()
        if problems and not self.env.user.has_group("account.group_account_manager"):
            raise UserError(problems[0][2])
        if problems and self.env.context.get("sme_credit_confirm"):
            return self.env["sme.credit.override.wizard"]._sme_action_for(problems)
        result = super(AccountInvoice, self).action_invoice_open()
        for invoice, summary, _refusal in problems:
            invoice._sme_log_credit_override(summary)
        return result

    @api.multi
    def _sme_credit_problems(self):
        """``[(invoice, summary, refusal)]`` for the draft customer invoices
        of ``self`` whose customer is on hold or would go past the credit
        limit: ``summary`` says why for a manager who may override,
        ``refusal`` for a user who may not."""
        problems = []
        pending = {}  # exposure added by earlier invoices of this batch
        for invoice in self.filtered(
            lambda i: i.type == "out_invoice" and i.state == "draft"
        ):
            customer = invoice.commercial_partner_id
            if customer.sme_credit_hold:
                reason = (
                    _(" (%s)") % customer.sme_credit_hold_reason
                    if customer.sme_credit_hold_reason
                    else ""
                )
                problems.append(
                    (
                        invoice,
                        _("Customer '%s' is on credit hold%s.")
                        % (customer.name, reason),
                        _(
                            "Customer '%s' is on credit hold%s: %s cannot be validated. "
                            "An accounting manager can validate it."
                        )
                        % (customer.name, reason, invoice._sme_label()),
                    )
                )
                continue
            if customer.credit_limit <= 0:
                continue
            key = (customer.id, invoice.company_id.id)
            if key not in pending:
                pending[key] = customer._sme_open_receivable(invoice.company_id)
            pending[key] += invoice.amount_total_company_signed
            currency = invoice.company_id.currency_id
            over = pending[key] - customer.credit_limit
            if float_compare(over, 0.0, precision_rounding=currency.rounding) > 0:
                problems.append(
                    (
                        invoice,
                        _("%s takes customer '%s' over its credit limit of %s by %s.")
                        % (
                            _upper_first(invoice._sme_label()),
                            customer.name,
                            _format_amount(customer.credit_limit, currency),
                            _format_amount(over, currency),
                        ),
                        _(
                            "%s would take customer '%s' to %s of open receivables, past "
                            "the credit limit of %s. An accounting manager can validate it."
                        )
                        % (
                            _upper_first(invoice._sme_label()),
                            customer.name,
                            _format_amount(pending[key], currency),
                            _format_amount(customer.credit_limit, currency),
                        ),
                    )
                )
        return problems

    @api.multi
    def _sme_label(self):
        """How a message names the invoice: its number, or for a draft
        (whose display name is just "Invoice") what tells it apart."""
        self.ensure_one()
        if self.number:
            return _("invoice %s") % self.number
        return _("the draft invoice of %s") % _format_amount(
            self.amount_total, self.currency_id
        )

    @api.multi
    def _sme_log_credit_override(self, summary):
        """Who validated past the credit check, when, and why (the reason
        given in the confirmation, if any)."""
        self.ensure_one()
        reason = self.env.context.get("sme_credit_override_reason") or _(
            "no reason given"
        )
        self.message_post(
            body=_(
                "<p>Validated despite the credit check by %s on "
                "%s.</p><p>%s</p><p>Reason: %s</p>"
            )
            % (
                html_escape(self.env.user.name),
                fields.Datetime.context_timestamp(
                    self, fields.Datetime.from_string(fields.Datetime.now())
                ).strftime("%Y-%m-%d %H:%M"),
                html_escape(summary),
                html_escape(reason),
            )
        )

    # ------------------------------------------------------------------
    # Invoice events
    # ------------------------------------------------------------------
    @api.multi
    def action_invoice_paid(self):
        becoming_paid = self.filtered(lambda i: i.state != "paid")
        result = super(AccountInvoice, self).action_invoice_paid()
        for invoice in becoming_paid.filtered(
            lambda i: i.state == "paid" and i.type == "out_invoice"
        ):
            invoice._sme_publish("on_sme_invoice_paid")
        return result

    @api.model
    def _cron_sme_notify_overdue_invoices(self):
        self._sme_notify_overdue_invoices(fields.Date.context_today(self))

    @api.model
    def _sme_notify_overdue_invoices(self, today):
        """Publish ``on_sme_invoice_overdue`` once for each open customer
        invoice whose due date is before ``today``."""
        invoices = self.with_context(sme_today=today).search(
            [
                ("type", "=", "out_invoice"),
                ("state", "=", "open"),
                ("date_due", "<", today),
                ("sme_overdue_notified", "=", False),
            ]
        )
        for invoice in invoices:
            invoice._sme_publish("on_sme_invoice_overdue")
        invoices.write({"sme_overdue_notified": True})
        return invoices

    @api.multi
    def _sme_publish(self, event):
        self.ensure_one()
        payload = {
            "invoice_id": self.id,
            "number": self.number,
            "partner_id": self.commercial_partner_id.id,
            "amount_total": self.amount_total,
            "residual": self.residual,
            "currency": self.currency_id.name,
            "date_invoice": self.date_invoice,
            "date_due": self.date_due,
        }
        self.env["sme.customer.event"]._publish(
            event, self, payload, partner=self.commercial_partner_id, invoice=self
        )


def _upper_first(text):
    return text[:1].upper() + text[1:]


def _format_amount(amount, currency):
    return "%s %.2f" % (currency.symbol or currency.name, amount)
