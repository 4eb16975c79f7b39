# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hub end to end with the Tally sandbox: pull customers through the
customer master, push invoices and payments as vouchers once, retries,
conflict policies, company isolation."""
import json

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.exception import RetryableJobError

from sme_connectors.base import Customer
from sme_connectors.tally import TallyClient

from .common import HubCase


class TestPullCustomers(HubCase):
    def test_ledgers_become_customers_without_duplicates(self):
        asha = self.customer("Asha Rao", "9876543210")
        events_before = len(self.outbox(self.company_a, "on_sme_customer_created"))
        self.backend._enqueue_pulls()
        result = [r for r in self.run_all() if r.startswith("pull")][0]
        self.assertIn("3 created, 1 updated", result)
        customers = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("customer", "=", True)]
        )
        self.assertEqual(
            sorted(customers.mapped("name")),
            ["Asha Rao", "Deshmukh & Sons", "Gupta Electricals", "Walk-in Customers"],
        )
        self.assertIn(
            asha,
            customers,
            "the ledger with Asha's phone linked to her, no second Asha",
        )
        deshmukh = customers.filtered(lambda p: p.name == "Deshmukh & Sons")
        self.assertEqual(
            (deshmukh.sme_phone_normalized, deshmukh.vat, deshmukh.email),
            ("+912025539911", "27AAPFU0939F1ZV", "accounts@deshmukh.example.in"),
        )
        self.assertEqual(
            len(self.outbox(self.company_a, "on_sme_customer_created")) - events_before,
            3,
        )
        log = self.env["sme.accounting.sync.log"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("direction", "=", "pull"),
                ("entity", "=", "customers"),
            ]
        )
        self.assertEqual(
            (log.state, log.created, log.updated, log.failed), ("done", 3, 1, 0)
        )
        self.assertIn(
            "no phone number",
            log.line_ids.filtered(lambda l: l.level == "warning").reason,
        )

    def test_cache_trimmed_during_long_pulls(self):
        from odoo.addons.sme_accounting_hub.sync import batch as jobs

        saved, jobs.CACHE_TRIM_EVERY = jobs.CACHE_TRIM_EVERY, 2
        try:
            self.backend._enqueue_pulls(["customers"])
            self.assertIn("pull customers: 4 created", self.run_all()[0])
        finally:
            jobs.CACHE_TRIM_EVERY = saved

    def log_row_updates(self):
        self.env.cr.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = "
            "'sme_accounting_sync_log'"
        )
        return self.env.cr.fetchone()[0]

    def test_a_run_updates_its_log_row_at_the_end_not_per_record(self):
        # Each UPDATE of the row leaves a version that later ones walk past in
        # the same transaction: one per record made 100,000-ledger imports quadratic.
        self.backend._enqueue_pulls(["customers"])
        before = self.log_row_updates()
        self.assertIn("pull customers: 4 created", self.run_all()[0])
        self.assertLessEqual(
            self.log_row_updates() - before, 2, "counts and state, written by _finish"
        )

    def test_running_again_creates_nothing(self):
        self.backend._enqueue_pulls()
        self.run_all()
        count = self.Partner.search_count([("company_id", "=", self.company_a.id)])
        self.env["sme.accounting.cursor"]._set(
            self.backend, "customers", position=0
        )  # even a full re-read
        self.backend._enqueue_pulls()
        self.assertIn(
            "pull customers: 0 created, 0 updated, 4 skipped, 0 failed", self.run_all()
        )
        self.assertEqual(
            self.Partner.search_count([("company_id", "=", self.company_a.id)]), count
        )

    def test_a_bad_ledger_fails_alone(self):
        self.tally.books.companies["Sharma Traders"].save_ledger(
            {
                "NAME": "Typo Traders",
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "12345",
            },
            "Create",
        )
        self.backend._enqueue_pulls()
        self.run_all()
        log = self.env["sme.accounting.sync.log"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("direction", "=", "pull"),
                ("entity", "=", "customers"),
            ]
        )
        self.assertEqual((log.state, log.created, log.failed), ("partial", 4, 1))
        failure = log.line_ids.filtered(lambda l: l.level == "error")
        self.assertIn("Typo Traders", failure.reason)
        self.assertIn("not a valid phone number", failure.reason)

    def test_a_fault_midway_leaves_nothing_half_done(self):
        from unittest import mock

        from odoo.addons.sme_accounting_hub.sync.customers import CustomerSync

        from sme_connectors.base import TransientError

        original, seen = CustomerSync._import_customer, []

        def import_then_fail(unit, customer, run):
            seen.append(customer.name)
            if len(seen) == 3:
                raise TransientError("connection reset by peer")
            return original(unit, customer, run)

        before = self.Partner.search_count([("company_id", "=", self.company_a.id)])
        self.backend._enqueue_pulls(["customers"])
        with mock.patch.object(CustomerSync, "_import_customer", import_then_fail):
            with self.assertRaises(RetryableJobError):
                self.run_job(self.queued()[0])
        self.assertEqual(
            self.Partner.search_count([("company_id", "=", self.company_a.id)]),
            before,
            "the two customers imported before the fault are undone with the attempt",
        )
        logs = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id)]
        )
        self.assertEqual(logs.mapped("state"), ["failed"], "no log is left 'running'")
        self.assertIn("connection reset", logs.message)
        self.assertIn("pull customers: 4 created", self.run_job(self.queued()[0]))

    def test_unreachable_server_retries_and_logs(self):
        self.tally.faults.append("http500")
        self.backend._enqueue_pulls()
        with self.assertRaises(RetryableJobError):
            self.run_job(self.queued()[0])
        self.assertIn("HTTP 500", self.backend.last_error or "")


class TestConflicts(HubCase):
    def setUp(self):
        super(TestConflicts, self).setUp()
        self.backend._enqueue_pulls()
        self.run_all()
        self.gupta = self.Partner.search(
            [("name", "=", "Gupta Electricals"), ("company_id", "=", self.company_a.id)]
        )
        self.binding = self.env["sme.accounting.binding"]._find(
            self.backend, "res.partner", record=self.gupta
        )
        # Both sides change Gupta after the last sync (pull only, so that
        # Odoo's change is not pushed before the next pull).
        self.backend.direction = "pull"
        self.binding.sync_date = "2020-01-01 00:00:00"
        self.gupta.email = "odoo@gupta.example.in"
        TallyClient(self.tally_url, "Sharma Traders").push_customer(
            Customer(name="Gupta Electricals", email="tally@gupta.example.in"),
            alter=True,
        )

    def pull(self):
        self.backend._enqueue_pulls()
        self.run_all()

    def test_manual_parks_the_pair(self):
        self.pull()
        conflict = self.env["sme.accounting.conflict"].search(
            [("binding_id", "=", self.binding.id)]
        )
        self.assertEqual(conflict.state, "open")
        self.assertEqual(self.gupta.email, "odoo@gupta.example.in")
        self.assertEqual(
            json.loads(conflict.remote_values)["email"], "tally@gupta.example.in"
        )
        conflict.action_keep_remote()
        self.assertEqual(
            (self.gupta.email, conflict.state), ("tally@gupta.example.in", "remote")
        )

    def test_accounting_wins(self):
        self.backend.conflict_policy = "accounting_wins"
        self.pull()
        self.assertEqual(self.gupta.email, "tally@gupta.example.in")

    def test_platform_wins_sends_odoo_back(self):
        self.backend.write({"conflict_policy": "platform_wins", "direction": "both"})
        self.pull()
        self.assertEqual(self.gupta.email, "odoo@gupta.example.in")
        self.run_all()  # the export the policy queued
        ledger = self.tally.books.companies["Sharma Traders"].ledgers[
            "Gupta Electricals"
        ]
        self.assertEqual(ledger["EMAIL"], "odoo@gupta.example.in")


class TestPush(HubCase):
    def _tax(self):
        return self.env["account.tax"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("type_tax_use", "=", "sale"),
                ("name", "ilike", "GST 18%"),
            ],
            limit=1,
        )

    def test_new_customer_is_sent_as_a_ledger(self):
        self.customer("Meera Iyer", "9822077777", email="meera@example.in")
        self.run_all()
        ledger = self.tally.books.companies["Sharma Traders"].ledgers["Meera Iyer"]
        self.assertEqual(
            (ledger["PARENT"], ledger["LEDGERPHONE"], ledger["EMAIL"]),
            ("Sundry Debtors", "9822077777", "meera@example.in"),
        )

    def test_validated_invoice_books_one_sales_voucher(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        tax = self._tax()
        if tax:
            invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(6, 0, tax.ids)]})
            invoice.compute_taxes()
        invoice.action_invoice_open()
        self.run_all()
        vouchers = self.tally_vouchers()
        sales = [
            v
            for v in vouchers
            if v["VOUCHERTYPENAME"] == "Sales"
            and v.get("VOUCHERNUMBER") == invoice.number
        ]
        self.assertEqual(len(sales), 1)
        entries = {ledger: amount for ledger, amount, _p in sales[0]["ENTRIES"]}
        self.assertEqual(entries["Meera Iyer"], -invoice.amount_total)
        self.assertEqual(entries["Sales"], 1000.0)
        self.assertAlmostEqual(sum(entries.values()), 0.0, places=2)
        # The same export again (a re-run, a duplicate job) books nothing new.
        self.backend._enqueue_export(invoice)
        self.run_all()
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

    def test_first_attempt_fault_then_once(self):
        customer = self.customer("Meera Iyer", "9822077777")
        self.run_all()
        invoice = self.make_invoice(500, partner_id=customer.id)
        invoice.action_invoice_open()
        self.tally.faults.append("reset")
        job = self.queued()[0]
        with self.assertRaises(RetryableJobError):
            self.run_job(job)
        self.run_job(job)
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

    def test_payment_books_a_receipt(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(700, partner_id=customer.id)
        invoice.action_invoice_open()
        payment = self.pay(invoice)
        self.run_all()
        receipts = [
            v
            for v in self.tally_vouchers()
            if v["VOUCHERTYPENAME"] == "Receipt"
            and v.get("PARTYLEDGERNAME") == "Meera Iyer"
        ]
        self.assertEqual(len(receipts), 1)
        entries = {ledger: amount for ledger, amount, _p in receipts[0]["ENTRIES"]}
        self.assertEqual(entries, {"HDFC Bank": -700.0, "Meera Iyer": 700.0})
        self.assertTrue(
            self.env["sme.accounting.binding"]._find(
                self.backend, "account.payment", record=payment
            )
        )

    def test_credit_note_books_the_reverse(self):
        customer = self.customer("Meera Iyer", "9822077777")
        refund = self.make_invoice(300, partner_id=customer.id, type="out_refund")
        refund.action_invoice_open()
        self.run_all()
        notes = [
            v for v in self.tally_vouchers() if v["VOUCHERTYPENAME"] == "Credit Note"
        ]
        self.assertEqual(len(notes), 1)
        entries = {ledger: amount for ledger, amount, _p in notes[0]["ENTRIES"]}
        self.assertEqual((entries["Meera Iyer"], entries["Sales"]), (300.0, -300.0))

    def test_refused_voucher_is_logged_with_tallys_reason(self):
        self.backend.settings_ref.sales_ledger = "No Such Ledger"
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(100, partner_id=customer.id)
        invoice.action_invoice_open()
        self.run_all()
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id), ("entity", "=", "invoices")]
        )
        self.assertEqual(log.state, "partial")
        self.assertIn("Ledger 'No Such Ledger' does not exist!", log.line_ids.reason)

    def test_paused_or_pull_only_backends_do_not_push(self):
        self.backend.direction = "pull"
        self.customer("Meera Iyer", "9822077777")
        self.assertFalse(self.queued())
        self.backend.write({"direction": "both"})
        self.backend.action_pause()
        self.customer("Ravi Kumar", "9822012345")
        self.assertFalse(self.queued())


class TestHubAccess(HubCase):
    def test_other_company_users_do_not_see_the_backend(self):
        user_b = self._make_user("hub_b", self.company_b, self.manager_hub)
        self.assertFalse(
            self.env["sme.accounting.backend"].sudo(user_b).search([]) & self.backend
        )
        with self.assertRaises(AccessError):
            self.backend.sudo(user_b).read(["name"])

    def test_public_sync_method(self):
        jobs = self.env["sme.accounting.backend"].sme_sync(self.backend.id, "customers")
        self.assertEqual([j["entity"] for j in jobs], ["customers"])
        self.assertEqual(
            self.env["sme.accounting.backend"].sme_job_status(jobs[0]["uuid"])["state"],
            "pending",
        )
        self.run_all()
        status = self.env["sme.accounting.backend"].sme_job_status(jobs[0]["uuid"])
        self.assertEqual(status["state"], "done")
        self.assertEqual(status["logs"][0]["created"], 4)
        with self.assertRaises(UserError):
            self.env["sme.accounting.backend"].sme_sync(self.backend.id, "stock")

    def test_marg_cannot_push(self):
        with self.assertRaises(ValidationError):
            self.env["sme.accounting.backend"].create(
                {"name": "Marg", "system": "marg", "direction": "both"}
            )


class TestLedgersIn(HubCase):
    def pull(self, entity):
        self.backend.write({"sync_%s" % entity: True})
        self.backend._enqueue_pulls([entity])
        return self.run_all()

    def test_chart_of_accounts(self):
        self.pull("accounts")
        accounts = self.env["sme.accounting.binding"].search(
            [("backend_id", "=", self.backend.id), ("model", "=", "account.account")]
        )
        names = sorted(accounts.mapped("external_name"))
        self.assertEqual(
            names,
            [
                "Capital",
                "Cash",
                "HDFC Bank",
                "Output CGST",
                "Output IGST",
                "Output SGST",
                "Sales",
            ],
        )
        bank = self.env["account.account"].browse(
            accounts.filtered(lambda b: b.external_name == "HDFC Bank").res_id
        )
        self.assertEqual(
            bank.user_type_id, self.env.ref("account.data_account_type_liquidity")
        )
        self.assertEqual(bank.company_id, self.company_a)
        self.pull("accounts")  # again: nothing new
        self.assertEqual(
            self.env["sme.accounting.binding"].search_count(
                [
                    ("backend_id", "=", self.backend.id),
                    ("model", "=", "account.account"),
                ]
            ),
            7,
        )

    def test_trial_balance_snapshot_compares_with_odoo(self):
        self.pull("customers")
        self.pull("accounts")
        result = [r for r in self.pull("trial_balance") if r][-1]
        snapshot = self.env["sme.accounting.trial.balance"].search(
            [("backend_id", "=", self.backend.id)]
        )
        self.assertEqual(len(snapshot), 1)
        lines = {line.name: line for line in snapshot.line_ids}
        self.assertEqual(
            (lines["HDFC Bank"].remote_debit, lines["HDFC Bank"].odoo_debit),
            (261800.0, 0.0),
        )
        self.assertTrue(lines["HDFC Bank"].differs)
        self.assertEqual(lines["HDFC Bank"].difference, 261800.0)
        self.assertTrue(lines["HDFC Bank"].matched)
        self.assertIn("differ from Odoo", result)


class TestVouchersIn(HubCase):
    def test_sales_voucher_becomes_a_validated_invoice_once(self):
        self.backend._enqueue_pulls(["invoices"])
        self.run_all()
        deshmukh = self.Partner.search(
            [("name", "=", "Deshmukh & Sons"), ("company_id", "=", self.company_a.id)]
        )
        invoice = self.env["account.invoice"].search([("partner_id", "=", deshmukh.id)])
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            (
                invoice.state,
                invoice.reference,
                invoice.amount_untaxed,
                invoice.amount_total,
            ),
            ("open", "TS/001", 10000.0, 11800.0),
        )
        self.assertFalse(self.queued(), "an imported invoice is not sent back")
        self.env["sme.accounting.cursor"]._set(self.backend, "invoices", position=0)
        self.backend._enqueue_pulls(["invoices"])
        self.run_all()
        self.assertEqual(
            self.env["account.invoice"].search_count(
                [("partner_id", "=", deshmukh.id)]
            ),
            1,
        )

    def test_vouchers_sent_from_odoo_are_not_imported_back(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(100, partner_id=customer.id)
        invoice.action_invoice_open()
        self.run_all()
        self.backend._enqueue_pulls(["invoices"])
        self.run_all()
        self.assertEqual(
            self.env["account.invoice"].search_count(
                [("partner_id", "=", customer.id)]
            ),
            1,
        )


class TestAuthFailure(HubCase):
    def test_refused_credentials_stop_the_backend(self):
        from odoo.addons.queue_job.exception import FailedJobError

        self.tally.settings["basic_auth"] = "tally:right-password"
        self.backend.settings_ref.password = "wrong-password"
        self.backend._enqueue_pulls(["customers"])
        with self.assertRaises(FailedJobError):
            self.run_job(self.queued()[0])
        self.assertEqual(self.backend.state, "error")
        self.assertIn("refused the credentials", self.backend.last_error)
        self.assertIn("refused the credentials", self.backend.message_ids[0].body)
        self.assertNotIn("wrong-password", self.backend.last_error)
        self.backend.settings_ref.password = "right-password"
        self.backend.action_resume()
        self.backend._enqueue_pulls(["customers"])
        self.assertIn("4 created", self.run_all()[0])


class TestBankAndJournals(HubCase):
    def _journal(self, kind):
        return self.env["account.journal"].search(
            [("company_id", "=", self.company_a.id), ("type", "=", kind)], limit=1
        )

    def _account(self, xmlid):
        return self.env["account.account"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("user_type_id", "=", self.env.ref(xmlid).id),
            ],
            limit=1,
        )

    def test_reconciled_bank_line_books_a_payment_voucher(self):
        self.backend.sync_bank = True
        for name, group in (("Bank Charges", "Indirect Expenses"),):
            self.tally.books.companies["Sharma Traders"].save_ledger(
                {"NAME": name, "PARENT": group}, "Create"
            )
        expense = self._account("account.data_account_type_expenses")
        expense.name = "Bank Charges"
        bank = self._journal("bank")
        statement = self.env["account.bank.statement"].create(
            {
                "journal_id": bank.id,
                "date": "2026-01-15",
                "name": "Jan",
                "line_ids": [
                    (
                        0,
                        0,
                        {"name": "SMS charges", "amount": -59.0, "date": "2026-01-15"},
                    )
                ],
            }
        )
        statement.line_ids.process_reconciliation(
            new_aml_dicts=[
                {
                    "name": "SMS charges",
                    "debit": 59.0,
                    "credit": 0.0,
                    "account_id": expense.id,
                }
            ]
        )
        self.run_all()
        payments = [
            v for v in self.tally_vouchers() if v["VOUCHERTYPENAME"] == "Payment"
        ]
        self.assertEqual(len(payments), 1)
        entries = {ledger: amount for ledger, amount, _p in payments[0]["ENTRIES"]}
        self.assertEqual(entries, {"HDFC Bank": 59.0, "Bank Charges": -59.0})

    def test_posted_journal_entry_books_a_journal_voucher(self):
        tally = self.tally.books.companies["Sharma Traders"]
        tally.save_ledger({"NAME": "Rent", "PARENT": "Indirect Expenses"}, "Create")
        tally.save_ledger(
            {"NAME": "Rent Payable", "PARENT": "Current Liabilities"}, "Create"
        )
        rent = self._account("account.data_account_type_expenses")
        rent.name = "Rent"
        payable = self._account("account.data_account_type_current_liabilities")
        payable.name = "Rent Payable"
        move = self.env["account.move"].create(
            {
                "journal_id": self._journal("general").id,
                "date": "2026-01-31",
                "ref": "January rent",
                "line_ids": [
                    (0, 0, {"name": "Rent", "account_id": rent.id, "debit": 25000.0}),
                    (
                        0,
                        0,
                        {"name": "Rent", "account_id": payable.id, "credit": 25000.0},
                    ),
                ],
            }
        )
        move.post()
        self.run_all()
        journals = [
            v for v in self.tally_vouchers() if v["VOUCHERTYPENAME"] == "Journal"
        ]
        self.assertEqual(len(journals), 1)
        entries = {ledger: amount for ledger, amount, _p in journals[0]["ENTRIES"]}
        self.assertEqual(entries, {"Rent": -25000.0, "Rent Payable": 25000.0})


class TestReceiptsAndJournalsIn(HubCase):
    def test_receipt_voucher_becomes_a_posted_payment(self):
        self.backend._enqueue_pulls(["customers", "payments"])
        self.run_all()
        deshmukh = self.Partner.search(
            [("name", "=", "Deshmukh & Sons"), ("company_id", "=", self.company_a.id)]
        )
        payment = self.env["account.payment"].search([("partner_id", "=", deshmukh.id)])
        self.assertEqual(
            (
                payment.state,
                payment.amount,
                payment.payment_type,
                payment.communication,
            ),
            ("posted", 11800.0, "inbound", "TR/001"),
        )
        self.assertFalse(self.queued(), "an imported payment is not sent back")
        self.env["sme.accounting.cursor"]._set(self.backend, "payments", position=0)
        self.backend._enqueue_pulls(["payments"])
        self.run_all()
        self.assertEqual(
            self.env["account.payment"].search_count(
                [("partner_id", "=", deshmukh.id)]
            ),
            1,
        )

    def test_journal_voucher_becomes_a_posted_entry(self):
        tally = self.tally.books.companies["Sharma Traders"]
        tally.save_voucher(
            {
                "DATE": "20260131",
                "VOUCHERTYPENAME": "Journal",
                "VOUCHERNUMBER": "J/1",
                "NARRATION": "Owner adds cash",
                "ENTRIES": [("Cash", -5000.0, True), ("Capital", 5000.0, False)],
            },
            "Create",
        )
        # Journals first: the ledgers are not linked yet, the voucher fails...
        self.backend._enqueue_pulls(["journals"])
        self.run_all()
        self.assertFalse(self.env["account.move"].search([("ref", "=", "J/1")]))
        # ...and is read again once the chart of accounts is in.
        self.backend.sync_accounts = True
        self.backend._enqueue_pulls(["accounts"])
        self.run_all()
        self.backend._enqueue_pulls(["journals"])
        self.run_all()
        move = self.env["account.move"].search(
            [("ref", "=", "J/1"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(move.state, "posted")
        self.assertEqual(
            sorted(
                (line.account_id.name, line.debit, line.credit)
                for line in move.line_ids
            ),
            [("Capital", 0.0, 5000.0), ("Cash", 5000.0, 0.0)],
        )

    def test_payment_voucher_becomes_a_bank_entry(self):
        tally = self.tally.books.companies["Sharma Traders"]
        tally.save_voucher(
            {
                "DATE": "20260131",
                "VOUCHERTYPENAME": "Payment",
                "VOUCHERNUMBER": "P/1",
                "NARRATION": "Owner withdrawal",
                "ENTRIES": [("Capital", -2000.0, True), ("HDFC Bank", 2000.0, False)],
            },
            "Create",
        )
        self.backend.write({"sync_accounts": True, "sync_bank": True})
        self.backend._enqueue_pulls(["accounts"])
        self.run_all()
        self.backend._enqueue_pulls(["bank"])
        self.run_all()
        move = self.env["account.move"].search(
            [("ref", "=", "P/1"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual((move.state, move.journal_id.type), ("posted", "bank"))
        self.assertEqual(
            sorted(
                (line.account_id.name, line.debit, line.credit)
                for line in move.line_ids
            ),
            [("Capital", 2000.0, 0.0), ("HDFC Bank", 0.0, 2000.0)],
        )


class TestScheduling(HubCase):
    def test_cron_enqueues_due_backends_only(self):
        Backend = self.env["sme.accounting.backend"]
        Backend._cron_sme_enqueue_scheduled_syncs()
        self.assertEqual(
            len(self.queued()),
            4,
            "never synced: customers, invoices, payments, journals",
        )
        self.queued().unlink()
        self.env["sme.accounting.cursor"]._set(
            self.backend, "customers", position=0
        )  # just synced
        Backend._cron_sme_enqueue_scheduled_syncs()
        self.assertFalse(self.queued(), "hourly backend synced a moment ago")
        self.backend.last_sync_date = "2020-01-01 00:00:00"
        self.backend.frequency = "manual"
        Backend._cron_sme_enqueue_scheduled_syncs()
        self.assertFalse(self.queued(), "manual backends are never scheduled")

    def test_retry_after_reaches_the_job(self):
        self.tally.faults.append("http429")
        self.backend._enqueue_pulls(["customers"])
        with self.assertRaises(RetryableJobError) as caught:
            self.run_job(self.queued()[0])
        self.assertEqual(caught.exception.seconds, 7.0)

    def test_old_logs_are_cleaned(self):
        Log = self.env["sme.accounting.sync.log"]
        old = Log._start(self.backend, "customers", "pull")
        recent = Log._start(self.backend, "customers", "pull")
        self.env.cr.execute(
            "UPDATE sme_accounting_sync_log SET create_date = now() - interval '91 days'"
            " WHERE id = %s",
            (old.id,),
        )
        self.assertGreaterEqual(Log._cron_sme_cleanup(90), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
