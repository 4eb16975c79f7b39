# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hub end to end with Busy (agent sandbox) and Marg (data API sandbox)
beside Tally, on one company: customers deduplicated by phone across the
systems, invoices into Busy once, Busy and Marg vouchers in, Marg pull-only."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError

from sme_connectors.sandbox.testing import running_busy, running_marg

from .common import HubCase, create_backend

BUSY_TOKEN = "demo-busy-agent-token-0001"


class MultiSystemCase(HubCase):
    def setUp(self):
        super(MultiSystemCase, self).setUp()
        busy_server, marg_server = running_busy(), running_marg()
        busy_url, self.busy = busy_server.__enter__()
        self.addCleanup(busy_server.__exit__, None, None, None)
        marg_url, self.marg = marg_server.__enter__()
        self.addCleanup(marg_server.__exit__, None, None, None)
        self.busy_backend = create_backend(
            self.env,
            {
                "name": "Busy at the godown",
                "company_id": self.company_a.id,
                "system": "busy",
                "sync_journals": True,
            },
            url=busy_url,
            api_key=BUSY_TOKEN,
            remote_company="COMP0001",
            timeout=5,
        )
        self.marg_backend = create_backend(
            self.env,
            {
                "name": "Marg at the pharmacy",
                "company_id": self.company_a.id,
                "system": "marg",
                "direction": "pull",
            },
            url=marg_url,
            remote_company="SHARMA01",
            remote_branch="1",
            api_key="demo-marg-key-0001",
            password="SharmaDecrypt01",
            timeout=5,
        )
        (self.busy_backend | self.marg_backend).action_activate()

    def pull_all(self, *entities):
        (self.backend | self.busy_backend | self.marg_backend)._enqueue_pulls(
            list(entities)
        )
        return self.run_everything()

    def company_customers(self):
        return self.Partner.search(
            [("company_id", "=", self.company_a.id), ("customer", "=", True)]
        )

    def busy_vouchers(self, number):
        return self.busy.rows("Tran1", VchNo=number)

    def gst(self, rate):
        return self.env["account.tax"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "group"),
                ("name", "ilike", "GST %d%%" % rate),
            ],
            limit=1,
        )


class TestCustomersAcrossSystems(MultiSystemCase):
    def test_one_customer_per_phone_whatever_the_system(self):
        results = self.pull_all("customers")
        self.assertEqual(len(results), 3, results)
        by_phone = {}
        for partner in self.company_customers().filtered("sme_phone_normalized"):
            by_phone.setdefault(partner.sme_phone_normalized, []).append(partner.name)
        self.assertTrue(all(len(names) == 1 for names in by_phone.values()), by_phone)
        gupta = self.company_customers().filtered(
            lambda p: p.sme_phone_normalized == "+919823011122"
        )
        asha = self.company_customers().filtered(
            lambda p: p.sme_phone_normalized == "+919876543210"
        )
        self.assertEqual((gupta.name, asha.name), ("Gupta Electricals", "Asha Rao"))
        self.assertEqual(
            gupta.email,
            "gupta.elec@example.in",
            "Busy's email filled in on Tally's customer",
        )
        Binding = self.env["sme.accounting.binding"]
        self.assertEqual(
            Binding.search(
                [("model", "=", "res.partner"), ("res_id", "=", gupta.id)]
            ).mapped("backend_id"),
            self.backend | self.busy_backend,
        )
        self.assertEqual(
            Binding.search(
                [("model", "=", "res.partner"), ("res_id", "=", asha.id)]
            ).mapped("backend_id"),
            self.backend | self.marg_backend,
        )
        self.assertIn("Kulkarni Medicals", self.company_customers().mapped("name"))
        # Running everything again changes nothing.
        count = len(self.company_customers())
        self.assertTrue(
            all("0 created, 0 updated" in r for r in self.pull_all("customers"))
        )
        self.assertEqual(len(self.company_customers()), count)

    def test_busy_edits_are_found_by_the_periodic_full_read(self):
        self.pull_all("customers")
        self.busy.db.execute(
            "UPDATE Master1 SET Email = 'orders@mehta.example.in' WHERE Name = 'Mehta Hardware'"
        )
        self.busy_backend._enqueue_pulls(["customers"])
        self.assertIn(
            "0 updated",
            self.run_everything()[0],
            "the code did not move: nothing new to read",
        )
        long_ago = fields.Datetime.to_string(datetime.now() - timedelta(days=2))
        self.env["sme.accounting.cursor"]._set(
            self.busy_backend, "customers", last_full_read=long_ago
        )
        self.busy_backend._enqueue_pulls(["customers"])
        self.assertIn("1 updated, 2 skipped", self.run_everything()[0])
        mehta = self.company_customers().filtered(lambda p: p.name == "Mehta Hardware")
        self.assertEqual(mehta.email, "orders@mehta.example.in")


class TestInvoicesOut(MultiSystemCase):
    def validated_invoice(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        invoice.invoice_line_ids.write(
            {"invoice_line_tax_ids": [(6, 0, self.gst(18).ids)]}
        )
        invoice.compute_taxes()
        invoice.action_invoice_open()
        return invoice

    def test_invoice_lands_once_in_each_system_that_takes_it(self):
        invoice = self.validated_invoice()
        exports = self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "sme_job_export")]
        )
        self.assertFalse(
            exports.filtered(lambda j: j.record_ids == self.marg_backend.ids),
            "Marg takes nothing",
        )
        self.run_everything()
        [booked] = self.busy_vouchers(invoice.number)
        self.assertEqual(
            (booked["VchType"], booked["NetAmt"]), (9, invoice.amount_total)
        )
        party = self.busy.rows("Master1", Name="Meera Iyer")
        self.assertEqual(
            len(party), 1, "the customer went first, as an account under Sundry Debtors"
        )
        self.assertEqual(
            len(self.tally_vouchers()),
            1
            + len(
                [
                    v
                    for v in self.tally_vouchers()
                    if v.get("VOUCHERNUMBER") != invoice.number
                ]
            ),
        )
        # Sending it again (a duplicate job, a re-run) books nothing new anywhere.
        self.busy_backend._enqueue_export(invoice)
        self.backend._enqueue_export(invoice)
        self.run_everything()
        self.assertEqual(len(self.busy_vouchers(invoice.number)), 1)
        self.assertEqual(
            len(
                [
                    v
                    for v in self.tally_vouchers()
                    if v.get("VOUCHERNUMBER") == invoice.number
                ]
            ),
            1,
        )

    def test_locked_busy_retries_then_books_once(self):
        self.customer("Meera Iyer", "9822077777")
        self.run_everything()
        invoice = self.validated_invoice()
        [job] = (
            self.env["queue.job"]
            .search([("state", "=", "pending"), ("method_name", "=", "sme_job_export")])
            .filtered(
                lambda j: j.record_ids == self.busy_backend.ids
                and j.args == ["account.invoice", invoice.id]
            )
        )
        self.busy.lock(100)
        with self.assertRaises(RetryableJobError) as error:
            self.run_job(job)
        self.assertEqual(error.exception.seconds, 15)
        self.busy.lock(0)
        self.run_job(job)
        self.assertEqual(len(self.busy_vouchers(invoice.number)), 1)

    def test_a_lost_answer_is_not_booked_twice(self):
        invoice = self.validated_invoice()
        self.run_everything()
        self.env["sme.accounting.binding"].search(
            [
                ("backend_id", "=", self.busy_backend.id),
                ("model", "=", "account.invoice"),
            ]
        ).unlink()
        self.busy_backend._enqueue_export(
            invoice
        )  # as if the first answer never came back
        self.run_everything()
        self.assertEqual(len(self.busy_vouchers(invoice.number)), 1)


class TestVouchersIn(MultiSystemCase):
    def test_busy_sale_and_receipt_come_in(self):
        self.busy_backend._enqueue_pulls(["invoices", "payments"])
        self.run_everything()
        invoice = self.env["account.invoice"].search(
            [("reference", "=", "B-101"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            (invoice.state, invoice.amount_total, invoice.partner_id.name),
            ("open", 1180.0, "Mehta Hardware"),
        )
        payment = self.env["account.payment"].search(
            [("communication", "=", "R-55"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            (payment.state, payment.amount, payment.partner_id),
            ("posted", 500.0, invoice.partner_id),
        )

    def test_marg_bill_becomes_an_invoice_with_its_lines(self):
        self.marg_backend._enqueue_pulls()
        results = self.run_everything()
        self.assertEqual(len(results), 2, "Marg pulls customers and invoices only")
        invoice = self.env["account.invoice"].search(
            [("reference", "=", "SB-0001"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            (invoice.state, invoice.partner_id.name), ("open", "Kulkarni Medicals")
        )
        self.assertEqual(
            sorted(invoice.invoice_line_ids.mapped("price_subtotal")), [250.0, 320.0]
        )
        self.assertAlmostEqual(invoice.amount_tax, 68.4, places=2)
        self.marg_backend._enqueue_pulls()
        self.assertTrue(all("0 created" in r for r in self.run_everything()))
        self.assertEqual(
            self.env["account.invoice"].search_count([("reference", "=", "SB-0001")]), 1
        )


class TestMargRules(MultiSystemCase):
    def test_marg_pulls_only_what_it_has(self):
        with self.assertRaises(UserError) as error:
            self.env["sme.accounting.backend"].sme_sync(
                self.marg_backend.id, "payments"
            )
        self.assertIn("Pullable: customers, invoices", error.exception.name)
        self.assertIn("gives data out only", self.marg_backend.system_note)

    def test_wrong_decryption_key_stops_the_backend(self):
        self.marg_backend.settings_ref.write({"password": "NotTheKey"})
        self.marg_backend._enqueue_pulls(["customers"])
        with self.assertRaises(FailedJobError):
            self.run_everything()
        self.assertIn("decryption key", self.marg_backend.last_error)
        self.assertNotIn("NotTheKey", self.marg_backend.last_error)
