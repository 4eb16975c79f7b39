# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Find-or-create on invoice, credit limit and hold, delete means archive,
and the invoice events, on real invoices and payments."""
from odoo.exceptions import UserError

from .common import InvoiceCase, listening


class TestFindOrCreateOnInvoice(InvoiceCase):
    def test_invoice_with_new_phone_creates_the_customer(self):
        invoice = self.make_invoice(
            100, sme_customer_phone="98220 12345", sme_customer_name="Ravi  Kumar"
        )
        customer = invoice.partner_id
        self.assertEqual(
            (customer.name, customer.sme_phone_normalized, customer.company_id),
            ("Ravi Kumar", "+919822012345", self.company_a),
        )
        self.assertTrue(
            invoice.account_id, "the receivable account follows the customer"
        )

    def test_invoice_with_known_phone_links_the_existing_customer(self):
        existing = self.customer("Asha Rao", "9876543210")
        invoice = self.make_invoice(100, sme_customer_phone="+91 98765-43210")
        self.assertEqual(invoice.partner_id, existing)
        self.assertEqual(existing.name, "Asha Rao")

    def test_invoice_in_company_b_uses_company_b_customers(self):
        in_a = self.customer("Asha Rao", "9876543210", self.company_a)
        invoice = self.make_invoice(
            100,
            user=self.user_b,
            sme_customer_phone="9876543210",
            sme_customer_name="Asha Rao",
        )
        self.assertNotEqual(invoice.partner_id, in_a)
        self.assertEqual(invoice.partner_id.company_id, self.company_b)

    def test_invoice_needs_a_customer_or_a_phone(self):
        with self.assertRaises(UserError):
            self.make_invoice(100)

    def test_unknown_phone_without_name_is_refused(self):
        with self.assertRaises(UserError) as caught:
            self.make_invoice(100, sme_customer_phone="9822012345")
        self.assertIn("give a name", caught.exception.name)

    def test_customer_with_invoices_is_archived_not_deleted(self):
        customer = self.customer("Asha Rao", "9876543210")
        self.make_invoice(100, partner_id=customer.id)
        lonely = self.customer("Ravi Kumar", "9822012345")
        (customer | lonely).unlink()
        self.assertTrue(customer.exists())
        self.assertFalse(customer.active)
        self.assertFalse(lonely.exists())


class TestCredit(InvoiceCase):
    def test_credit_hold_refuses_validation_for_billing_users(self):
        customer = self.customer(
            "Vikram Joshi",
            "9822012345",
            sme_credit_hold=True,
            sme_credit_hold_reason="Cheque bounced",
        )
        invoice = self.make_invoice(100, partner_id=customer.id)
        with self.assertRaises(UserError) as caught:
            invoice.sudo(self.user_a).action_invoice_open()
        self.assertIn("credit hold", caught.exception.name)
        self.assertIn("Cheque bounced", caught.exception.name)
        self.assertEqual(invoice.state, "draft")

    def test_accounting_manager_may_validate_on_hold(self):
        customer = self.customer("Vikram Joshi", "9822012345", sme_credit_hold=True)
        invoice = self.make_invoice(100, partner_id=customer.id)
        invoice.sudo(self.manager).action_invoice_open()
        self.assertEqual(invoice.state, "open")

    def test_credit_limit_counts_open_receivables(self):
        customer = self.customer("Asha Rao", "9876543210", credit_limit=1000)
        first = self.make_invoice(600, partner_id=customer.id)
        first.sudo(self.user_a).action_invoice_open()
        self.assertEqual(
            customer.sme_open_receivable, 0.0, "computed in the admin's company"
        )
        self.assertEqual(customer._sme_open_receivable(self.company_a), 600)
        second = self.make_invoice(500, partner_id=customer.id)
        with self.assertRaises(UserError) as caught:
            second.sudo(self.user_a).action_invoice_open()
        self.assertIn("credit limit", caught.exception.name)
        self.pay(first)
        second.sudo(self.user_a).action_invoice_open()
        self.assertEqual(second.state, "open")

    def test_two_invoices_validated_together_count_together(self):
        customer = self.customer("Asha Rao", "9876543210", credit_limit=1000)
        both = self.make_invoice(600, partner_id=customer.id) | self.make_invoice(
            600, partner_id=customer.id
        )
        with self.assertRaises(UserError):
            both.sudo(self.user_a).action_invoice_open()


class TestInvoiceEvents(InvoiceCase):
    def test_paid_event_once_with_payload(self):
        customer = self.customer("Asha Rao", "9876543210")
        invoice = self.make_invoice(250, partner_id=customer.id)
        invoice.action_invoice_open()
        with listening(self.env, "on_sme_invoice_paid") as received:
            self.pay(invoice)
            invoice.action_invoice_paid()  # Odoo calls it again; no second event
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(
            [(name, record) for name, record, _kw in received],
            [("on_sme_invoice_paid", invoice)],
        )
        rows = self.outbox(self.company_a, "on_sme_invoice_paid")
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.partner_id, rows.invoice_id), (customer, invoice))
        self.assertIn('"amount_total": 250.0', rows.payload)

    def test_overdue_event_once_per_invoice(self):
        customer = self.customer("Asha Rao", "9876543210")
        late = self.make_invoice(100, partner_id=customer.id, date_due="2026-02-01")
        not_yet = self.make_invoice(100, partner_id=customer.id, date_due="2026-03-01")
        (late | not_yet).action_invoice_open()
        Invoice = self.env["account.invoice"]
        with listening(self.env, "on_sme_invoice_overdue") as received:
            self.assertEqual(Invoice._sme_notify_overdue_invoices("2026-02-15"), late)
            self.assertFalse(Invoice._sme_notify_overdue_invoices("2026-02-16"))
        self.assertEqual([record for _n, record, _kw in received], [late])
        self.assertEqual(len(self.outbox(self.company_a, "on_sme_invoice_overdue")), 1)


class TestInvoiceForm(InvoiceCase):
    def test_typing_a_known_phone_picks_the_customer(self):
        customer = self.customer("Asha Rao", "9876543210")
        form = (
            self.env["account.invoice"]
            .sudo(self.user_a)
            .new({"type": "out_invoice", "sme_customer_phone": "098765 43210"})
        )
        self.assertFalse(form._onchange_sme_customer_phone())
        self.assertEqual(form.partner_id, customer)

    def test_typing_an_unknown_phone_warns(self):
        form = (
            self.env["account.invoice"]
            .sudo(self.user_a)
            .new({"type": "out_invoice", "sme_customer_phone": "9822077777"})
        )
        result = form._onchange_sme_customer_phone()
        self.assertIn("No customer", result["warning"]["message"])
        self.assertFalse(form.partner_id)
