# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Long pulls: chunks, a job that resumes a run interrupted after some
chunks were committed, and the progress a running pull shows. (The commits
themselves, and a kill -9 in the middle, are in tests/test_hub_crash_e2e.py:
a test's transaction cannot commit.)"""
import json
import time

from odoo.addons.sme_accounting_hub.sync.customers import CustomerSync
from odoo.addons.sme_accounting_hub.sync.run import SyncRun

from .common import HubCase


class TestResumingAnInterruptedPull(HubCase):
    def test_the_job_goes_on_after_the_chunks_already_committed(self):
        [queued] = self.backend._enqueue_pulls(["customers"])
        # As a server killed after the first chunk (two ledgers) leaves it: those
        # customers committed, the run's log 'running' with its place in the stream.
        client = self.backend._connector()
        first_two = list(client.iter_customers())[:2]
        earlier = SyncRun(
            self.env["sme.accounting.sync.log"]
            .with_context(job_uuid=queued.uuid)
            ._start(self.backend, "customers", "pull")
        )
        for customer in first_two:
            earlier.count(
                CustomerSync(self.backend)._import_customer(customer, earlier)
            )
        earlier.flush(done=2, expected=4)
        self.assertEqual(earlier.log.state, "running")

        self.run_job(queued.db_record())
        logs = self.env["sme.accounting.sync.log"].search(
            [("job_uuid", "=", queued.uuid)]
        )
        self.assertEqual(logs, earlier.log, "the same run goes on: one log")
        counts = (
            logs.state,
            logs.created + logs.updated,
            logs.skipped,
            logs.failed,
            logs.progress_done,
        )
        self.assertEqual(
            counts,
            ("done", 4, 0, 0, 4),
            "the first two are not read again as 'skipped'",
        )
        names = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("customer", "=", True)]
        ).mapped("name")
        self.assertEqual(len(names), len(set(names)), "nobody twice")
        self.assertEqual(json.loads(logs.resume_state)["done"], 4)

    def test_a_run_killed_before_its_first_chunk_goes_on_in_its_own_log(self):
        [queued] = self.backend._enqueue_pulls(["customers"])
        left = (
            self.env["sme.accounting.sync.log"]
            .with_context(job_uuid=queued.uuid)
            ._start(self.backend, "customers", "pull")
        )
        self.run_job(queued.db_record())
        self.assertEqual(
            self.env["sme.accounting.sync.log"].search(
                [("job_uuid", "=", queued.uuid)]
            ),
            left,
        )
        self.assertEqual((left.state, left.created + left.updated), ("done", 4))

    def test_another_job_starts_a_run_of_its_own(self):
        old = (
            self.env["sme.accounting.sync.log"]
            .with_context(job_uuid="an-old-job")
            ._start(self.backend, "customers", "pull")
        )
        SyncRun(old).flush(done=2)
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        self.assertEqual(old.progress_done, 2)
        latest = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id)], limit=1
        )
        self.assertNotEqual(latest, old)
        self.assertEqual(latest.created + latest.updated, 4)


class TestProgress(HubCase):
    def test_a_running_pull_says_how_far_it_is_and_when_it_ends(self):
        log = self.env["sme.accounting.sync.log"]._start(
            self.backend, "customers", "pull"
        )
        log.write(
            {
                "started": time.time() - 10,
                "progress_done": 250,
                "progress_expected": 1000,
            }
        )
        self.assertRegex(
            log.progress, r"^250 of 1000 \(25%\), 2\d\.\d records/s, about 3\d s left$"
        )
        self.backend.invalidate_cache()
        self.assertIn(
            "Pulling customers: 250 of 1000 (25%)", self.backend.running_progress
        )
        log.write({"state": "done", "progress_done": 1000})
        self.backend.invalidate_cache()
        self.assertEqual(log.progress, "1000 records")
        self.assertFalse(self.backend.running_progress)

    def test_a_pull_counts_what_the_system_announced(self):
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id)], limit=1
        )
        self.assertEqual((log.progress_done, log.progress_expected), (4, 4))

    def test_tally_announces_its_count_before_the_first_record(self):
        records = self.backend._connector().iter_customers()
        self.assertEqual(records.expected, 4)
        self.assertEqual(len(list(records)), 4)
