# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hub under faults: retries that outlive an hour, jobs interrupted by a
dead server, refusals that keep their reason, secrets an accounting system
echoes back, ledgers with odd data, vouchers that do not balance."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo import registry
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.sme_accounting_hub.models import sme_accounting_backend_jobs as jobs
from odoo.addons.sme_accounting_hub.sync.dry_run import DryRun

from .common import HubCase, create_backend


def tally_company(case):
    return case.tally.books.companies["Sharma Traders"]


def pull_log(case, entity, backend=None):
    return case.env["sme.accounting.sync.log"].search(
        [
            ("backend_id", "=", (backend or case.backend).id),
            ("direction", "=", "pull"),
            ("entity", "=", entity),
        ],
        limit=1,
    )


class TestRetries(HubCase):
    def test_retries_follow_the_pattern_for_more_than_an_hour(self):
        self.backend._enqueue_pulls(["customers"])
        queued = self.queued()[0]
        self.assertEqual(queued.max_retries, jobs.MAX_ATTEMPTS)
        pattern = sorted(jobs.RETRY_PATTERN.items())
        waits = [
            [wait for start, wait in pattern if start <= attempt][-1]
            for attempt in range(1, queued.max_retries)
        ]
        self.assertGreaterEqual(sum(waits), 3600, "an outage of an hour is outlived")

    def test_the_last_attempt_says_so_on_the_connection(self):
        self.backend._enqueue_pulls(["customers"])
        queued = self.queued()[0]
        queued.retry = jobs.MAX_ATTEMPTS - 1  # every earlier attempt met the outage
        self.tally.faults.append("http500")
        with self.assertRaises(FailedJobError):
            self.run_job(queued)
        self.assertIn(
            "Gave up after %d attempts" % jobs.MAX_ATTEMPTS, self.backend.last_error
        )
        self.assertIn("HTTP 500", self.backend.last_error)
        log = pull_log(self, "customers")
        self.assertEqual(log.state, "failed")
        self.assertIn("Gave up", log.message)
        self.assertIn("failed for good", self.backend.message_ids[0].body)

    def test_an_earlier_attempt_is_only_a_retry(self):
        self.backend._enqueue_pulls(["customers"])
        self.tally.faults.append("http500")
        with self.assertRaises(RetryableJobError):
            self.run_job(self.queued()[0])
        self.assertNotIn("Gave up", self.backend.last_error)


class TestInterruptedJobs(HubCase):
    def started_long_ago(self):
        self.backend._enqueue_pulls(["customers"])
        queued = self.queued()[0]
        queued.write(
            {
                "state": "started",
                "date_started": "2026-01-01 10:00:00",
                "date_enqueued": "2026-01-01 10:00:00",
            }
        )
        return queued

    def test_a_job_left_started_by_a_dead_server_is_queued_again(self):
        queued = self.started_long_ago()
        self.assertEqual(
            self.env["sme.accounting.backend"]._cron_sme_requeue_interrupted_jobs(), 1
        )
        self.assertEqual(queued.state, "pending")
        self.assertIn("interrupted", self.backend.message_ids[0].body)

    def test_a_job_killed_again_and_again_is_failed_with_the_reason(self):
        queued = self.started_long_ago()
        queued.sme_interruptions = jobs.MAX_INTERRUPTIONS - 1
        left_running = (
            self.env["sme.accounting.sync.log"]
            .with_context(job_uuid=queued.uuid)
            ._start(self.backend, "customers", "pull")
        )
        self.assertEqual(
            self.env["sme.accounting.backend"]._cron_sme_requeue_interrupted_jobs(), 0
        )
        self.assertEqual(queued.state, "failed")
        self.assertIn("limit_time_real", queued.exc_info)
        self.assertIn(
            "Interrupted %d times" % jobs.MAX_INTERRUPTIONS, self.backend.last_error
        )
        self.assertEqual(
            left_running.state, "failed", "its log does not say 'running' for ever"
        )
        self.assertIn("limit_time_real", left_running.message)

    def test_a_running_job_is_left_alone(self):
        queued = self.started_long_ago()
        # The job's own transaction holds its lock while it runs.
        with registry(self.env.cr.dbname).cursor() as other:
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                (jobs.RUNNING_JOB_LOCK, queued.uuid),
            )
            self.assertEqual(
                self.env["sme.accounting.backend"]._cron_sme_requeue_interrupted_jobs(),
                0,
            )
        self.assertEqual(queued.state, "started")

    def test_a_job_that_just_started_is_left_alone(self):
        self.backend._enqueue_pulls(["customers"])
        queued = self.queued()[0]
        queued.write({"state": "started", "date_started": queued.date_created})
        self.env["sme.accounting.backend"]._cron_sme_requeue_interrupted_jobs(
            grace_seconds=3600
        )
        self.assertEqual(queued.state, "started")


class TestOddLedgers(HubCase):
    def test_a_ledger_without_phone_keeps_its_gstin_which_identifies_it(self):
        company = tally_company(self)
        company.save_ledger(
            {
                "NAME": "Kulkarni Agencies",
                "PARENT": "Sundry Debtors",
                "PARTYGSTIN": "27AABCK1234L1ZM",
            },
            "Create",
        )
        company.save_ledger(
            {
                "NAME": "Kulkarni Agencies (Nashik)",
                "PARENT": "Sundry Debtors",
                "PARTYGSTIN": "27aabck1234l1zm",
            },
            "Create",
        )
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        kulkarni = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("vat", "=", "27AABCK1234L1ZM")]
        )
        self.assertEqual(
            len(kulkarni), 1, "the GSTIN is the identity of a customer without a phone"
        )
        self.assertEqual(kulkarni.name, "Kulkarni Agencies")
        failure = pull_log(self, "customers").line_ids.filtered(
            lambda l: l.level == "error"
        )
        self.assertIn("same customer (Kulkarni Agencies)", failure.reason)

    def test_a_mobile_that_is_not_a_number_does_not_hide_the_landline(self):
        tally_company(self).save_ledger(
            {
                "NAME": "Joshi Stores",
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "N/A",
                "LEDGERPHONE": "020 2445 1200",
            },
            "Create",
        )
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        joshi = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Joshi Stores")]
        )
        self.assertEqual(joshi.sme_phone_normalized, "+912024451200")

    def test_the_same_phone_refusal_names_the_customer_odoo_has(self):
        tally_company(self).save_ledger(
            {
                "NAME": "A. Rao (old ledger)",
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "98765 43210",
            },
            "Create",
        )
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        asha = self.Partner.search(
            [
                ("company_id", "=", self.company_a.id),
                ("sme_phone_normalized", "=", "+919876543210"),
            ]
        )
        self.assertEqual(asha.name, "Asha Rao", "the second ledger did not rename her")
        failure = pull_log(self, "customers").line_ids.filtered(
            lambda l: l.level == "error"
        )
        self.assertEqual(len(failure), 1)
        self.assertTrue(
            failure.reason.startswith(
                "A. Rao (old ledger): it is the same customer (Asha Rao)"
            ),
            failure.reason,
        )


class TestVouchersThatCannotBeBooked(HubCase):
    """Tally itself keeps vouchers balanced; a voucher that reads unbalanced
    (a line read on the wrong side, a line that could not be read) must not
    reach the books. The sandbox's records are changed after saving, as a
    wrong reading would change them."""

    def unbalanced(self, values, ledger, amount):
        company = tally_company(self)
        company.save_voucher(values, "Create")
        record = company.vouchers[-1]
        record["ENTRIES"] = [
            (name, amount if name == ledger else value, positive)
            for name, value, positive in record["ENTRIES"]
        ]

    def test_an_unbalanced_sales_voucher_is_refused(self):
        self.unbalanced(
            {
                "DATE": "20260120",
                "VOUCHERTYPENAME": "Sales",
                "VOUCHERNUMBER": "TS/099",
                "PARTYLEDGERNAME": "Gupta Electricals",
                "ENTRIES": [
                    ("Gupta Electricals", -1180.0, True),
                    ("Sales", 1000.0, False),
                    ("Output CGST", 90.0, False),
                    ("Output SGST", 90.0, False),
                ],
            },
            "Output SGST",
            0.0,
        )
        self.backend._enqueue_pulls(["customers", "invoices"])
        self.run_all()
        self.assertFalse(
            self.env["account.invoice"].search([("reference", "=", "TS/099")])
        )
        failure = pull_log(self, "invoices").line_ids.filtered(
            lambda l: "TS/099" in (l.reason or "")
        )
        self.assertIn("do not balance (difference 90.00)", failure.reason)
        self.assertTrue(
            self.env["account.invoice"].search([("reference", "=", "TS/001")]),
            "the balanced voucher of the same pull is booked",
        )
        self.backend.invalidate_cache()
        self.assertEqual(
            self.backend.failure_count, 1, "the connection shows the open failure"
        )
        self.assertEqual(
            self.backend.action_view_failures()["domain"],
            [("id", "in", pull_log(self, "invoices").ids)],
        )
        # Fixed there: the next pull takes it and the failure is no longer open.
        record = tally_company(self).vouchers[-1]
        record["ENTRIES"] = [
            (name, 90.0 if name == "Output SGST" else value, positive)
            for name, value, positive in record["ENTRIES"]
        ]
        self.backend._enqueue_pulls(["invoices"])
        self.run_all()
        self.backend.invalidate_cache()
        self.assertTrue(
            self.env["account.invoice"].search([("reference", "=", "TS/099")])
        )
        self.assertEqual(self.backend.failure_count, 0)

    def test_an_unbalanced_journal_is_refused(self):
        self.unbalanced(
            {
                "DATE": "20260131",
                "VOUCHERTYPENAME": "Journal",
                "VOUCHERNUMBER": "J/9",
                "ENTRIES": [("Cash", -5000.0, True), ("Capital", 5000.0, False)],
            },
            "Capital",
            4000.0,
        )
        self.backend.sync_accounts = True
        self.backend._enqueue_pulls(["accounts", "journals"])
        self.run_all()
        self.assertFalse(self.env["account.move"].search([("ref", "=", "J/9")]))
        self.assertIn("do not balance", pull_log(self, "journals").line_ids.reason)


class TestRefusalsKeepTheirReason(HubCase):
    def test_an_invoice_whose_customer_is_refused_says_why(self):
        partner = self.customer("Bhosale Hardware", "9822012345")
        self.queued().unlink()  # the customer's own export has not run
        invoice = self.make_invoice(500, partner_id=partner.id)
        invoice.action_invoice_open()
        self.tally.faults.append(
            "exceptions"
        )  # Tally rejects the ledger without saying why
        with self.assertRaises(FailedJobError) as caught:
            self.run_job(self.queued()[0])
        self.assertIn(
            "customer Bhosale Hardware could not be sent first: ", str(caught.exception)
        )
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id), ("state", "=", "failed")], limit=1
        )
        reason = log.message.split("could not be sent first: ", 1)[1]
        self.assertTrue(
            reason.strip(), "the reason is in the log that outlives the rollback"
        )
        self.assertIn("Bhosale Hardware", self.backend.last_error)

    def test_a_create_that_timed_out_but_was_booked_is_linked_not_sent_twice(self):
        import time

        partner = self.customer("Pawar Textiles", "9822099887")
        self.backend.settings_ref.timeout = 1
        self.tally.faults.append(
            "timeout"
        )  # Tally books it, but answers after the client gave up
        queued = self.queued()[0]
        with self.assertRaises(RetryableJobError):
            self.run_job(queued)
        deadline = time.time() + 15
        while (
            time.time() < deadline
            and "Pawar Textiles" not in tally_company(self).ledgers
        ):
            time.sleep(0.2)
        self.assertIn(
            "Pawar Textiles", tally_company(self).ledgers, "the slow create was booked"
        )
        queued.write(
            {"state": "pending", "retry": 1}
        )  # as queue_job stores a postponed attempt
        self.backend.settings_ref.timeout = 5
        requests_before = self.tally.requests_seen
        self.run_job(queued)
        self.assertEqual(
            self.tally.requests_seen - requests_before, 1, "looked up, not sent again"
        )
        self.assertEqual(
            [name for name in tally_company(self).ledgers if name.startswith("Pawar")],
            ["Pawar Textiles"],
        )
        binding = self.env["sme.accounting.binding"]._find(
            self.backend, "res.partner", record=partner
        )
        self.assertEqual(binding.external_name, "Pawar Textiles")


class _EchoingServer(BaseHTTPRequestHandler):
    """An agent that answers 401 quoting the credential it was sent, as
    careless servers do."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = json.dumps(
            {"message": "invalid token: %s" % self.headers.get("Authorization")}
        ).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class TestEchoedSecrets(HubCase):

    TOKEN = "busy-agent-token-7f3a9c2e5b1d4a8f"

    def setUp(self):
        super(TestEchoedSecrets, self).setUp()
        server = HTTPServer(("127.0.0.1", 0), _EchoingServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.busy = create_backend(
            self.env,
            {
                "name": "Busy that echoes",
                "company_id": self.company_a.id,
                "system": "busy",
            },
            url="http://127.0.0.1:%d" % server.server_address[1],
            api_key=self.TOKEN,
            timeout=5,
        )
        self.busy.action_activate()

    def test_a_token_echoed_back_is_stored_nowhere(self):
        self.busy._enqueue_pulls(["customers"])
        queued = self.queued(self.busy)[0]
        with self.assertRaises(FailedJobError) as caught:
            self.run_job(queued)
        texts = [
            str(caught.exception),
            self.busy.last_error,
            pull_log(self, "customers", self.busy).message,
            "".join(m.body for m in self.busy.message_ids),
        ]
        self.assertIn("refused the credentials", self.busy.last_error)
        for text in texts:
            self.assertNotIn(self.TOKEN, text or "")
            self.assertNotIn("7f3a9c2e5b1d4a8f", text or "")

    def test_test_connection_does_not_show_it_either(self):
        with self.assertRaises(UserError) as caught:
            self.busy.action_test_connection()
        self.assertNotIn(self.TOKEN, caught.exception.name)


class TestRedact(HubCase):
    """The redaction rules on their own (plain functions)."""

    def test_known_and_credential_shaped_values_are_hidden(self):
        from sme_connectors.redact import redact

        self.assertEqual(
            redact("invalid token: Bearer 1000.ab12cd34ef.5678"),
            "invalid token: Bearer ********",
        )
        self.assertEqual(
            redact('{"access_token": "xyzxyz123"}'), '{"access_token": "********"}'
        )
        self.assertEqual(
            redact("MargKey s3cr3t-value failed", ["s3cr3t-value"]),
            "MargKey ******** failed",
        )
        kept = "Ledger 'Asha Rao' (GSTIN 27AAPFU0939F1ZV, id 4600000000000123456) not found"
        self.assertEqual(
            redact(kept), kept, "names, GSTINs and ids a person needs stay"
        )


class TestEveryFaultOnEachDirection(HubCase):
    """Each fault Tally's side can produce, on a pull and on a push, ends
    with every record there exactly once, or a failure a person can read."""

    FAULTS = ("http500", "http429", "reset", "timeout", "malformed")

    def run_until_done(self, queued, attempts=jobs.MAX_ATTEMPTS):
        """Run a job as queue_job's runner does: a retryable failure is
        postponed with its attempt counted, then run again."""
        from odoo.addons.queue_job.job import Job

        for _attempt in range(attempts):
            job = Job.load(self.env, queued.uuid)
            job.set_started()
            try:
                result = job.perform()
            except RetryableJobError as error:
                job.postpone(result=str(error))
                job.set_pending(reset_retry=False)
                job.store()
                continue
            job.set_done(result=result)
            job.store()
            return result
        self.fail("the job never finished")

    def test_pulls_end_with_every_customer_once(self):
        self.backend.settings_ref.timeout = 1
        for fault in self.FAULTS:
            self.tally.faults[:] = [fault]
            self.env["sme.accounting.cursor"]._set(
                self.backend, "customers", position=0
            )
            self.backend._enqueue_pulls(["customers"])
            self.run_until_done(self.queued()[0])
            names = self.Partner.search(
                [("company_id", "=", self.company_a.id), ("customer", "=", True)]
            ).mapped("name")
            self.assertEqual(
                sorted(names),
                [
                    "Asha Rao",
                    "Deshmukh & Sons",
                    "Gupta Electricals",
                    "Walk-in Customers",
                ],
                fault,
            )
            self.assertFalse(self.tally.faults, "%s was met" % fault)

    def test_pushes_end_with_every_voucher_once(self):
        self.backend.settings_ref.timeout = 1
        customer = self.customer("Meera Iyer", "9822077777")
        self.run_until_done(self.queued()[0])
        for fault in self.FAULTS:
            invoice = self.make_invoice(100, partner_id=customer.id)
            invoice.action_invoice_open()
            self.tally.faults[:] = [fault]
            self.run_until_done(self.queued()[0])
            self.assertFalse(self.tally.faults, "%s was met" % fault)
            # A slow answer may still be booking when the retry looks for it.
            self.assertEqual(
                len(self.tally_vouchers_numbered(invoice.number)), 1, fault
            )

    def tally_vouchers_numbered(self, number):
        return [
            v for v in tally_company(self).vouchers if v.get("VOUCHERNUMBER") == number
        ]

    def test_a_silent_rejection_is_a_visible_failure(self):
        customer = self.customer("Meera Iyer", "9822077777")
        self.run_until_done(self.queued()[0])
        invoice = self.make_invoice(100, partner_id=customer.id)
        invoice.action_invoice_open()
        self.tally.faults[:] = ["exceptions"]
        self.run_until_done(self.queued()[0])
        self.assertFalse(self.tally_vouchers_numbered(invoice.number))
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id), ("entity", "=", "invoices")], limit=1
        )
        self.assertEqual((log.state, log.failed), ("partial", 1))
        self.assertIn(invoice.number, log.line_ids.external_id)
        self.assertTrue(log.line_ids.reason)

    def test_an_outage_of_ten_minutes_is_outlived(self):
        # Attempts 1-6 meet the outage: 30 + 30 + 30 + 120 + 120 + 600 s of waits.
        self.tally.faults[:] = ["http500"] * 6
        self.backend._enqueue_pulls(["customers"])
        queued = self.queued()[0]
        self.assertIn("4 created", self.run_until_done(queued))
        self.assertEqual(queued.retry, 7)


class TestNamesThere(HubCase):
    """Systems key customers by name: two Odoo customers never become, or
    take over, one record there."""

    def test_two_placeholder_customers_are_two_ledgers(self):
        first = self.customer("A", "9822011111")  # one letter: the placeholder name
        second = self.customer("B", "9822022222")
        self.assertEqual(first.name, second.name)
        self.run_all()
        ledgers = sorted(
            name for name in tally_company(self).ledgers if name.startswith(first.name)
        )
        self.assertEqual(ledgers, ["%s 1111" % first.name, "%s 2222" % first.name])
        for partner in first | second:
            self.assertTrue(
                self.env["sme.accounting.binding"]._find(
                    self.backend, "res.partner", record=partner
                )
            )

    def test_a_name_bound_to_another_customer_is_a_failure_in_words(self):
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        gupta = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Gupta Electricals")]
        )
        self.customer("Gupta Electricals", "9822033333")  # another Gupta, another phone
        self.run_all()
        ledger = tally_company(self).ledgers["Gupta Electricals"]
        self.assertEqual(
            ledger.get("LEDGERMOBILE"),
            "9823011122",
            "the first Gupta's ledger is untouched",
        )
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id), ("direction", "=", "push")], limit=1
        )
        self.assertEqual(log.state, "partial")
        self.assertIn(
            "'Gupta Electricals' is already used there by", log.line_ids.reason
        )
        self.assertTrue(gupta)


class TestPullsThatChangeNothing(HubCase):
    def test_a_second_pull_writes_nothing_and_emits_nothing(self):
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        events = len(self.outbox(self.company_a))
        # Tally moves every ALTERID (a re-save, a GST update of the company) without
        # changing a field.
        company = tally_company(self)
        for name in ("Deshmukh & Sons", "Asha Rao", "Gupta Electricals"):
            ledger = dict(company.ledgers[name])
            company.save_ledger(
                {
                    key: value
                    for key, value in ledger.items()
                    if key not in ("ALTERID", "MASTERID", "GUID")
                },
                "Alter",
            )
        self.backend._enqueue_pulls(["customers"])
        result = self.run_all()[0]
        self.assertIn("0 created, 0 updated", result)
        self.assertEqual(
            len(self.outbox(self.company_a)), events, "no 'customer updated' event"
        )


class TestWhereThingsShow(HubCase):
    def test_the_customer_shows_where_it_lives(self):
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        deshmukh = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Deshmukh & Sons")]
        )
        [binding] = deshmukh.sme_accounting_binding_ids
        self.assertEqual(
            (binding.backend_id, binding.system, binding.external_name),
            (self.backend, "tally", "Deshmukh & Sons"),
        )
        found = self.env["sme.accounting.binding"].search(
            [("system", "=", "tally"), ("external_name", "ilike", "deshmukh")]
        )
        self.assertEqual(
            found.typed_binding(),
            binding,
            "linked records are searchable by name and system",
        )

    def test_the_dashboard_counts_waiting_jobs(self):
        self.backend._enqueue_pulls(["customers", "invoices"])
        self.backend.invalidate_cache()
        self.assertEqual(self.backend.waiting_job_count, 2)
        self.run_all()
        self.backend.invalidate_cache()
        self.assertEqual(self.backend.waiting_job_count, 0)


class TestConflictReview(HubCase):
    def test_the_review_shows_the_fields_that_differ_side_by_side(self):
        from sme_connectors.base import Customer
        from sme_connectors.tally import TallyClient

        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        gupta = self.Partner.search(
            [("name", "=", "Gupta Electricals"), ("company_id", "=", self.company_a.id)]
        )
        binding = self.env["sme.accounting.binding"]._find(
            self.backend, "res.partner", record=gupta
        )
        self.backend.direction = "pull"
        binding.sync_date = "2020-01-01 00:00:00"
        gupta.email = "odoo@gupta.example.in"
        TallyClient(self.tally_url, "Sharma Traders").push_customer(
            Customer(
                name="Gupta Electricals",
                email="tally@gupta.example.in",
                mobile="9823011122",
            ),
            alter=True,
        )
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        conflict = self.env["sme.accounting.conflict"].search(
            [("binding_id", "=", binding.id)]
        )
        self.assertEqual(
            json.loads(conflict.remote_values),
            {"email": "tally@gupta.example.in"},
            "only what differs (the same mobile is no difference)",
        )
        self.assertIn(
            "<th>Email</th><td>odoo@gupta.example.in</td><td>tally@gupta.example.in</td>",
            conflict.differences,
        )
        self.assertIn("<th>Tally</th>", conflict.differences)
        self.assertNotIn("{", conflict.differences, "no raw JSON")


class TestChartOfAccountsMatching(HubCase):
    def test_pulled_accounts_meet_the_companys_own(self):
        Account = self.env["account.account"].sudo()
        own = Account.create(
            {
                "name": "HDFC Bank",
                "code": "100999",
                "company_id": self.company_a.id,
                "user_type_id": self.env.ref("account.data_account_type_liquidity").id,
            }
        )
        before = Account.search_count([("company_id", "=", self.company_a.id)])
        self.backend.sync_accounts = True
        self.backend._enqueue_pulls(["accounts"])
        self.run_all()
        binding = self.env["sme.accounting.binding"].search(
            [("backend_id", "=", self.backend.id), ("external_name", "=", "HDFC Bank")]
        )
        self.assertEqual(
            binding.res_id,
            own.id,
            "linked to the company's own account, not a new empty one",
        )
        created = (
            Account.search_count([("company_id", "=", self.company_a.id)]) - before
        )
        log = pull_log(self, "accounts")
        notes = log.line_ids.filtered(lambda l: l.level == "warning")
        self.assertEqual(
            len(notes), created, "each account that had to be created says so"
        )
        self.assertTrue(all("Ledger mapping" in note.reason for note in notes))


class TestDryRun(HubCase):
    def test_a_dry_run_says_what_a_first_pull_would_do_and_writes_nothing(self):
        self.customer("Asha Rao", "9876543210")
        company = tally_company(self)
        company.save_ledger(
            {
                "NAME": "Typo Traders",
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "12345",
            },
            "Create",
        )
        company.save_ledger(
            {
                "NAME": "A. Rao (old ledger)",
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "98765 43210",
            },
            "Create",
        )
        partners = self.Partner.search_count([])
        report = DryRun(self.backend).customers()
        self.assertEqual(
            sorted(name for name, _d in report["created"]),
            ["Deshmukh & Sons", "Gupta Electricals", "Walk-in Customers"],
        )
        self.assertEqual(report["phone"], [("Asha Rao", "Asha Rao")])
        self.assertEqual(
            report["conflict"], [("A. Rao (old ledger)", "same customer as 'Asha Rao'")]
        )
        self.assertEqual([name for name, _d in report["failing"]], ["Typo Traders"])
        self.assertIn("not a valid phone number", report["failing"][0][1])
        self.assertEqual(self.Partner.search_count([]), partners, "nothing written")
        self.assertFalse(
            self.env["sme.accounting.binding"].search(
                [("backend_id", "=", self.backend.id)]
            )
        )
        text = (
            self.env["sme.accounting.message"]
            .browse(self.backend.action_dry_run()["res_id"])
            .message
        )
        self.assertIn("6 customers there", text)
        self.assertIn("3 would be created", text)


class TestReadableNames(HubCase):
    def test_logs_bindings_and_cursors_read_as_words(self):
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        log = pull_log(self, "customers")
        self.assertTrue(
            log.display_name.startswith("Tally at the shop: pull customers, "),
            log.display_name,
        )
        binding = self.env["sme.accounting.binding"].search(
            [("backend_id", "=", self.backend.id)], limit=1
        )
        self.assertEqual(binding.model_label, self.env["res.partner"]._description)
        [cursor] = self.backend.cursor_ids
        self.assertEqual(
            (cursor.entity, cursor.display_name), ("customers", "customers")
        )
        self.assertTrue(
            cursor.position.isdigit(),
            "Tally's ALTERID, as a number: %r" % cursor.position,
        )
        self.assertTrue(cursor.last_sync)
