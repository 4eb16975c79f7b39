from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

CUSTOMER_INVOICE_TYPES = ("out_invoice", "out_refund")


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    sme_customer_phone = fields.Char(
        string="Customer phone", readonly=True, states={"draft": [("readonly", False)]},
        help="Instead of choosing the customer: the customer with this phone is "
             "used, or created with the name below when there is none.")
    sme_customer_name = fields.Char(
        string="Customer name", readonly=True, states={"draft": [("readonly", False)]})
    sme_overdue_notified = fields.Boolean(copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Find-or-create the customer from a phone number
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if not vals.get("partner_id") and self._sme_is_customer_invoice_vals(vals):
            if not vals.get("sme_customer_phone"):
                raise UserError(_("Choose the customer, or give the customer's phone number."))
            vals = dict(vals, partner_id=self._sme_customer_from_phone(vals))
        return super(AccountInvoice, self).create(vals)

    @api.model
    def _sme_is_customer_invoice_vals(self, vals):
        return (vals.get("type") or self.env.context.get("type") or "out_invoice") \
            in CUSTOMER_INVOICE_TYPES

    @api.model
    def _sme_customer_from_phone(self, vals):
        company_id = vals.get("company_id")
        if not company_id and vals.get("journal_id"):
            company_id = self.env["account.journal"].browse(vals["journal_id"]).company_id.id
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
            self.sme_customer_phone, self.company_id.id or None)
        if found:
            self.partner_id = found["id"]
            return
        return {"warning": {
            "title": _("New customer"),
            "message": _("No customer of this company has the phone %s yet. Create one in the "
                         "Customer field (Create and Edit...).") % self.sme_customer_phone,
        }}

    # ------------------------------------------------------------------
    # Credit limit and credit hold
    # ------------------------------------------------------------------
    @api.multi
    def action_invoice_open(self):
        self._sme_check_credit()
        return super(AccountInvoice, self).action_invoice_open()

    @api.multi
    def _sme_check_credit(self):
        if self.env.user.has_group("account.group_account_manager"):
            return
        pending = {}  # exposure added by earlier invoices of this batch
        for invoice in self.filtered(lambda i: i.type == "out_invoice" and i.state == "draft"):
            customer = invoice.commercial_partner_id
            if customer.sme_credit_hold:
                raise UserError(
                    _("Customer '%s' is on credit hold%s: invoice %s cannot be validated. "
                      "An accounting manager can validate it.")
                    % (customer.name, _(" (%s)") % customer.sme_credit_hold_reason
                       if customer.sme_credit_hold_reason else "", invoice.display_name))
            if customer.credit_limit <= 0:
                continue
            key = (customer.id, invoice.company_id.id)
            if key not in pending:
                pending[key] = customer._sme_open_receivable(invoice.company_id)
            pending[key] += invoice.amount_total_company_signed
            currency = invoice.company_id.currency_id
            if float_compare(pending[key], customer.credit_limit,
                             precision_rounding=currency.rounding) > 0:
                raise UserError(
                    _("Invoice %s would take customer '%s' to %s of open receivables, past "
                      "the credit limit of %s. An accounting manager can validate it.")
                    % (invoice.display_name, customer.name,
                       _format_amount(pending[key], currency),
                       _format_amount(customer.credit_limit, currency)))

    # ------------------------------------------------------------------
    # Invoice events
    # ------------------------------------------------------------------
    @api.multi
    def action_invoice_paid(self):
        becoming_paid = self.filtered(lambda i: i.state != "paid")
        result = super(AccountInvoice, self).action_invoice_paid()
        for invoice in becoming_paid.filtered(lambda i: i.state == "paid" and i.type == "out_invoice"):
            invoice._sme_publish("on_sme_invoice_paid")
        return result

    @api.model
    def _cron_sme_notify_overdue_invoices(self):
        self._sme_notify_overdue_invoices(fields.Date.context_today(self))

    @api.model
    def _sme_notify_overdue_invoices(self, today):
        """Publish ``on_sme_invoice_overdue`` once for each open customer
        invoice whose due date is before ``today``."""
        invoices = self.with_context(sme_today=today).search([
            ("type", "=", "out_invoice"),
            ("state", "=", "open"),
            ("date_due", "<", today),
            ("sme_overdue_notified", "=", False),
        ])
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
            event, self, payload, partner=self.commercial_partner_id, invoice=self)


def _format_amount(amount, currency):
    return "%s %.2f" % (currency.symbol or currency.name, amount)
