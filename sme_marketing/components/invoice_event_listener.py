# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _

from odoo.addons.component.core import Component


class SmeMarketingInvoiceListener(Component):
    """Marketing's reaction to invoices: health, referrals, onboarding."""

    _name = "sme.marketing.invoice.listener"
    _inherit = "base.event.listener"
    _apply_on = ["account.invoice"]

    def on_sme_invoice_paid(self, record):
        health = self._health(record)
        health._sme_recompute(_("Invoice %s paid") % record.number)
        self.env["sme.referral"]._sme_on_invoice_paid(record)
        # Loyalty points of the invoice (and of the referral it qualified).
        self.env["sme.loyalty.move"]._sme_on_invoice_paid(record)
        # Then the tier those points reach, and the badges of the customer and
        # of whoever referred the customer.
        self.env["sme.loyalty.tier"]._sme_on_invoice_paid(record)
        self.env["sme.onboarding"]._sme_complete_for(
            record.commercial_partner_id, record.company_id, "first_payment"
        )
        # Revenue of the invoice's campaign counts on the day of the payment.
        self.env["sme.marketing.campaign"]._sme_on_invoice_paid(record)

    def on_sme_invoice_overdue(self, record):
        self._health(record)._sme_recompute(
            _("Invoice %s overdue since %s") % (record.number, record.date_due)
        )
        # Retention journey: the customer is enrolled once, whatever fires again.
        self.env["sme.marketing.campaign"]._sme_journey_enroll(
            record.commercial_partner_id, "retention", record.company_id
        )

    def on_record_write(self, record, fields=None):
        # A validated credit note against an invoice takes back its points.
        if (
            "state" in (fields or [])
            and record.state == "open"
            and record.type == "out_refund"
            and record.refund_invoice_id
        ):
            self.env["sme.loyalty.move"]._sme_on_refund_validated(record)
        # Validation of a customer invoice: Odoo writes state 'open'.
        if (
            "state" in (fields or [])
            and record.state == "open"
            and record.type == "out_invoice"
        ):
            self._health(record)._sme_recompute(
                _("Invoice %s validated") % record.number
            )
            self.env["sme.onboarding"]._sme_complete_for(
                record.commercial_partner_id, record.company_id, "first_invoice"
            )
            # Attribution: the campaign that last reached the customer.
            self.env["sme.marketing.campaign"]._sme_attribute_invoice(record)

    def _health(self, invoice):
        return self.env["sme.customer.health"]._sme_profile_for(
            invoice.commercial_partner_id, invoice.company_id
        )
