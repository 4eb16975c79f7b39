# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channel partners of company A (and one of B) with a 10% payment-based
commission, their customers and invoices."""
from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class ChannelCase(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(ChannelCase, cls).setUpClass()
        cls.Commission = cls.env["sale.commission"]
        cls.Settlement = cls.env["sale.commission.settlement"]
        cls.commission = cls.Commission.create(
            {
                "name": "10% on payment",
                "commission_type": "fixed",
                "fix_qty": 10.0,
                "invoice_state": "paid",
            }
        )
        cls.partner_a = cls._agent("Kiran Distributors", cls.company_a)
        cls.partner_a2 = cls._agent("Nila Resellers", cls.company_a)
        cls.partner_b = cls._agent("Bharat Channel", cls.company_b)

    @classmethod
    def _agent(cls, name, company):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "company_id": company.id,
                "is_company": True,
                "agent": True,
                "supplier": True,
                "customer": False,
                "commission": cls.commission.id,
                "email": "%s@example.in" % name.split()[0].lower(),
            }
        )

    def channel_customer(self, name, phone, agent, company=None):
        customer = self.customer(name, phone, company=company)
        customer.sme_channel_partner_id = agent
        return customer

    def invoice_for(self, customer, amount, date="2026-01-10", user=None):
        invoice = self.make_invoice(
            amount,
            user=user,
            partner_id=customer.id,
            date_invoice=date,
            date_due=date,
        )
        invoice.action_invoice_open()
        return invoice

    def pay_amount(self, invoice, amount, date="2026-01-20"):
        journal = self.env["account.journal"].search(
            [("company_id", "=", invoice.company_id.id), ("type", "=", "bank")],
            limit=1,
        )
        refund = invoice.type == "out_refund"
        payment = self.env["account.payment"].create(
            {
                "invoice_ids": [(4, invoice.id)],
                "amount": amount,
                "payment_date": date,
                "payment_type": "outbound" if refund else "inbound",
                "partner_type": "customer",
                "partner_id": invoice.commercial_partner_id.id,
                "journal_id": journal.id,
                "payment_method_id": self.env.ref(
                    "account.account_payment_method_manual_out"
                    if refund
                    else "account.account_payment_method_manual_in"
                ).id,
            }
        )
        payment.post()
        return payment

    def settle(self, month="2026-01-15", company=None):
        return self.Settlement.sme_run_monthly_settlement(
            month, (company or self.company_a).id
        )
