# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An accounting manager validating an invoice of a customer on credit hold
or over its limit is asked to confirm from the form, and the override is
logged in the invoice's chatter (who, when, why)."""
from lxml import etree

from odoo.exceptions import UserError

from .common import InvoiceCase

FROM_FORM = {"sme_credit_confirm": True}  # the context of the form's Validate button


class TestCreditOverride(InvoiceCase):
    def _notes(self, invoice):
        return invoice.message_ids.filtered(
            lambda m: "despite the credit check" in (m.body or "")
        )

    def test_validate_button_asks_managers_to_confirm(self):
        arch = self.env["account.invoice"].fields_view_get(
            view_id=self.env.ref("account.invoice_form").id, view_type="form"
        )["arch"]
        button = etree.fromstring(arch).xpath(
            "//header/button[@name='action_invoice_open']"
        )[0]
        self.assertIn("sme_credit_confirm", button.get("context"))

    def test_manager_on_hold_gets_the_confirmation_wizard(self):
        customer = self.customer(
            "Vikram Joshi",
            "9822012345",
            sme_credit_hold=True,
            sme_credit_hold_reason="Cheque bounced",
        )
        invoice = self.make_invoice(100, partner_id=customer.id)
        action = (
            invoice.sudo(self.manager).with_context(FROM_FORM).action_invoice_open()
        )
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(
            (action["res_model"], action["target"]),
            ("sme.credit.override.wizard", "new"),
        )
        wizard = self.env["sme.credit.override.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.invoice_ids, invoice)
        self.assertIn(
            "Customer 'Vikram Joshi' is on credit hold (Cheque bounced)", wizard.message
        )
        self.assertIn("Validate anyway?", wizard.message)

    def test_confirming_validates_and_logs_who_and_why(self):
        customer = self.customer("Vikram Joshi", "9822012345", sme_credit_hold=True)
        invoice = self.make_invoice(100, partner_id=customer.id)
        action = (
            invoice.sudo(self.manager).with_context(FROM_FORM).action_invoice_open()
        )
        wizard = (
            self.env["sme.credit.override.wizard"]
            .sudo(self.manager)
            .browse(action["res_id"])
        )
        wizard.reason = "Paid cash at the counter"
        wizard.action_confirm()
        self.assertEqual(invoice.state, "open")
        note = self._notes(invoice)
        self.assertEqual(len(note), 1)
        self.assertIn("Acc Manager", note.body)
        self.assertIn("Paid cash at the counter", note.body)
        self.assertIn("on credit hold", note.body)
        self.assertEqual(note.author_id, self.manager.partner_id)

    def test_over_the_limit_says_by_how_much(self):
        customer = self.customer("Asha Rao", "9876543210", credit_limit=1000)
        invoice = self.make_invoice(1250, partner_id=customer.id)
        action = (
            invoice.sudo(self.manager).with_context(FROM_FORM).action_invoice_open()
        )
        message = (
            self.env["sme.credit.override.wizard"].browse(action["res_id"]).message
        )
        self.assertIn("over its credit limit", message)
        self.assertIn("by ₹ 250.00", message)

    def test_within_the_limit_validates_at_once(self):
        customer = self.customer("Asha Rao", "9876543210", credit_limit=1000)
        invoice = self.make_invoice(900, partner_id=customer.id)
        self.assertTrue(
            invoice.sudo(self.manager).with_context(FROM_FORM).action_invoice_open()
        )
        self.assertEqual(invoice.state, "open")
        self.assertFalse(self._notes(invoice))

    def test_code_validating_as_manager_is_logged_without_reason(self):
        customer = self.customer("Vikram Joshi", "9822012345", sme_credit_hold=True)
        invoice = self.make_invoice(100, partner_id=customer.id)
        invoice.sudo(self.manager).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        self.assertIn("no reason given", self._notes(invoice).body)

    def test_billing_user_cannot_confirm(self):
        customer = self.customer("Vikram Joshi", "9822012345", sme_credit_hold=True)
        invoice = self.make_invoice(100, partner_id=customer.id)
        with self.assertRaises(UserError):
            invoice.sudo(self.user_a).with_context(FROM_FORM).action_invoice_open()
        wizard = (
            self.env["sme.credit.override.wizard"]
            .sudo(self.user_a)
            .create({"invoice_ids": [(6, 0, invoice.ids)], "reason": "please"})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(invoice.state, "draft")


class TestCreditWarningAsTheCustomerIsPicked(InvoiceCase):
    def _picked(self, customer):
        invoice = self.env["account.invoice"].new(
            {
                "type": "out_invoice",
                "company_id": self.company_a.id,
                "partner_id": customer.id,
            }
        )
        return invoice._onchange_sme_credit_warning()

    def test_a_customer_on_hold_is_flagged_at_once(self):
        customer = self.customer(
            "Vikram Joshi",
            "9822012345",
            sme_credit_hold=True,
            sme_credit_hold_reason="Cheque bounced",
        )
        warning = self._picked(customer)["warning"]
        self.assertEqual(warning["title"], "Credit check")
        self.assertIn(
            "'Vikram Joshi' is on credit hold (Cheque bounced)", warning["message"]
        )

    def test_a_customer_at_its_limit_is_flagged_one_below_is_not(self):
        customer = self.customer("Asha Rao", "9876543210", credit_limit=1000)
        self.make_invoice(999, partner_id=customer.id).sudo(
            self.manager
        ).action_invoice_open()
        self.assertFalse(self._picked(customer))
        self.make_invoice(1, partner_id=customer.id).sudo(
            self.manager
        ).action_invoice_open()
        self.assertIn(
            "₹ 1000.00 of open receivables",
            self._picked(customer)["warning"]["message"],
        )

    def test_a_refusal_names_a_draft_by_its_amount_not_as_invoice_invoice(self):
        customer = self.customer("Vikram Joshi", "9822012345", sme_credit_hold=True)
        invoice = self.make_invoice(100, partner_id=customer.id)
        [(_invoice, _summary, refusal)] = invoice._sme_credit_problems()
        self.assertIn("the draft invoice of ₹ 100.00 cannot be validated", refusal)
