# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transactions upserting the same phone at once end with one customer,
and every caller gets an answer. Uses real, committed transactions on
several database cursors."""
import threading
import time
import uuid

from psycopg2 import OperationalError, errorcodes

from odoo import SUPERUSER_ID, api, registry
from odoo.tests import common


class TestConcurrentUpsert(common.TransactionCase):
    def setUp(self):
        super(TestConcurrentUpsert, self).setUp()
        self.registry = registry(self.env.cr.dbname)
        # A phone no other test uses, so committed rows never collide.
        self.phone = "+9198%08d" % (uuid.uuid4().int % 10**8)
        self.created_ids = set()

    def tearDown(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["sme.customer.event"].search(
                [("partner_id", "in", list(self.created_ids))]
            ).unlink()
            partners = env["res.partner"].search(
                [
                    "|",
                    ("sme_phone_normalized", "=", self.phone),
                    ("id", "in", list(self.created_ids)),
                ]
            )
            partners.unlink()
        super(TestConcurrentUpsert, self).tearDown()

    def _waiting_on_lock(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cr.fetchone()[0]

    def test_second_transaction_waits_and_updates_in_the_same_call(self):
        """The second upsert of a phone waits for the first (an advisory
        lock taken before its snapshot) and then finds and updates the
        customer the first created: no serialization failure reaches the
        caller, who calls once."""
        outcome = {}
        cr_first = self.registry.cursor()
        try:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            first = env_first["res.partner"].sme_upsert_customer(
                {"name": "First Writer", "phone": self.phone}
            )
            self.created_ids.add(first["id"])
            thread = self._in_thread(
                outcome, {"name": "Second Writer", "phone": self.phone}
            )
            self._wait_until_blocked()
            cr_first.commit()
        finally:
            cr_first.close()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertNotIn("error", outcome)
        self.assertEqual(outcome["result"], {"id": first["id"], "is_new": False})
        self.assertEqual(self._names(), [("Second Writer",)])

    def test_many_concurrent_upserts_of_one_new_phone(self):
        outcomes = [{} for _n in range(8)]
        barrier = threading.Barrier(len(outcomes))
        threads = [
            self._in_thread(
                outcome, {"name": "Racer %d" % n, "phone": self.phone}, barrier
            )
            for n, outcome in enumerate(outcomes)
        ]
        for thread in threads:
            thread.join(60)
        self.assertEqual([o.get("error") for o in outcomes], [None] * len(outcomes))
        self.created_ids.update(o["result"]["id"] for o in outcomes)
        self.assertEqual(len(self.created_ids), 1)
        self.assertEqual(
            sorted(o["result"]["is_new"] for o in outcomes), [False] * 7 + [True]
        )
        self.assertEqual(len(self._names()), 1)

    def test_concurrent_update_of_the_customer_is_retried_in_the_call(self):
        """Another transaction (a user saving the form) updates the customer
        while the upsert waits for its row: REPEATABLE READ makes the
        upsert's update fail; the upsert retries in a fresh transaction."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            created = env["res.partner"].sme_upsert_customer(
                {"name": "Asha Rao", "phone": self.phone}
            )
        self.created_ids.add(created["id"])
        outcome = {}
        cr_user = self.registry.cursor()
        try:
            api.Environment(cr_user, SUPERUSER_ID, {})["res.partner"].browse(
                created["id"]
            ).write({"city": "Pune"})
            thread = self._in_thread(
                outcome, {"name": "Asha Rao-Kulkarni", "phone": self.phone}
            )
            self._wait_until_blocked()
            cr_user.commit()
        finally:
            cr_user.close()
        thread.join(30)
        self.assertNotIn("error", outcome)
        self.assertEqual(outcome["result"], {"id": created["id"], "is_new": False})
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT name, city FROM res_partner WHERE id = %s", (created["id"],)
            )
            self.assertEqual(cr.fetchall(), [("Asha Rao-Kulkarni", "Pune")])

    def test_inside_a_callers_transaction_the_conflict_goes_to_the_caller(self):
        """An upsert that did not begin the transaction never ends it (the
        caller's work would be lost): it reports the conflict as a
        serialization failure, for the caller's retry (Odoo's RPC layer,
        queue_job)."""
        cr_first = self.registry.cursor()
        cr_caller = self.registry.cursor()
        try:
            env_caller = api.Environment(cr_caller, SUPERUSER_ID, {})
            earlier = env_caller["res.partner"].create(
                {"name": "Earlier work", "customer": False}
            )
            self.created_ids.add(earlier.id)
            first = api.Environment(cr_first, SUPERUSER_ID, {})[
                "res.partner"
            ].sme_upsert_customer({"name": "First Writer", "phone": self.phone})
            self.created_ids.add(first["id"])
            outcome = {}

            def caller():
                with api.Environment.manage():
                    try:
                        env_caller["res.partner"].sme_upsert_customer(
                            {"name": "Second Writer", "phone": self.phone}
                        )
                    except OperationalError as error:
                        outcome["error"] = error.pgcode

            thread = threading.Thread(target=caller)
            thread.start()
            self._wait_until_blocked()
            cr_first.commit()
            thread.join(30)
            self.assertEqual(outcome.get("error"), errorcodes.SERIALIZATION_FAILURE)
            self.assertTrue(
                earlier.exists(), "the caller's earlier work was rolled back"
            )
        finally:
            cr_caller.rollback()
            cr_caller.close()
            cr_first.close()

    def _in_thread(self, outcome, values, barrier=None):
        """Upserts ``values`` on a fresh cursor, as one XML-RPC call does."""

        def run():
            with api.Environment.manage():
                if barrier:
                    barrier.wait()
                try:
                    with self.registry.cursor() as cr:
                        outcome["result"] = api.Environment(cr, SUPERUSER_ID, {})[
                            "res.partner"
                        ].sme_upsert_customer(values)
                except Exception as error:  # reported by the test
                    outcome["error"] = repr(error)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def _wait_until_blocked(self):
        deadline = time.time() + 20
        while not self._waiting_on_lock() and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(
            self._waiting_on_lock(), "the second transaction did not wait on the first"
        )

    def _names(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT name FROM res_partner WHERE sme_phone_normalized = %s",
                (self.phone,),
            )
            return cr.fetchall()


class TestOutboxLocks(common.TransactionCase):
    """Publishing takes one lock per transaction, however many events."""

    def own_event_locks(self):
        from odoo.addons.sme_customer_master.models.sme_customer_event import (
            IN_FLIGHT_LOCK_CLASS,
        )

        self.env.cr.execute(
            "SELECT objid::text::bigint FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND classid = %s AND objsubid = 1",
            (IN_FLIGHT_LOCK_CLASS,),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_one_lock_for_many_events_and_a_new_one_after_a_rollback(self):
        Partner = self.env["res.partner"]
        with self.assertRaises(ValueError):
            with self.env.cr.savepoint():
                Partner.sme_upsert_customer(
                    {"name": "Undone", "phone": "+919800000001"}
                )
                self.assertEqual(len(self.own_event_locks()), 1)
                raise ValueError("roll the savepoint back")
        self.assertEqual(
            self.own_event_locks(), [], "the savepoint took its lock with it"
        )
        first = Partner.sme_upsert_customer({"name": "Kept", "phone": "+919800000002"})
        for n in range(3, 8):
            Partner.sme_upsert_customer(
                {"name": "More %d" % n, "phone": "+91980000000%d" % n}
            )
        locks = self.own_event_locks()
        event = self.env["sme.customer.event"].search(
            [("partner_id", "=", first["id"])], limit=1
        )
        self.assertEqual(
            locks, [event.sequence], "one lock, on the transaction's first number"
        )


class TestOutboxVisibility(common.TransactionCase):
    """An event of a transaction still running hides the events of later
    transactions from readers, so that no reader skips it."""

    def test_reader_waits_for_the_older_transaction(self):
        reg = registry(self.env.cr.dbname)
        with reg.cursor() as setup:
            env = api.Environment(setup, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            start = env["sme.customer.event"].sme_events_since(0, 1000, company.id)[
                "last_sequence"
            ]
        phones = ["+9198%08d" % (uuid.uuid4().int % 10**8) for _ in range(3)]
        slow, fast, reader = reg.cursor(), reg.cursor(), reg.cursor()
        try:
            env_slow = api.Environment(slow, SUPERUSER_ID, {})
            env_slow["res.partner"].sme_upsert_customer(
                {"name": "Slow", "phone": phones[0]}
            )
            env_fast = api.Environment(fast, SUPERUSER_ID, {})
            env_fast["res.partner"].sme_upsert_customer(
                {"name": "Fast", "phone": phones[1]}
            )
            fast.commit()
            env_reader = api.Environment(reader, SUPERUSER_ID, {})
            early = env_reader["sme.customer.event"].sme_events_since(start, 1000)[
                "events"
            ]
            self.assertNotIn(
                "Fast",
                [e["payload"].get("name") for e in early],
                "a later event was shown while an earlier one was still uncommitted",
            )
            slow.commit()
            reader.rollback()  # a new snapshot, as a new XML-RPC call gets
            names = [
                e["payload"].get("name")
                for e in env_reader["sme.customer.event"].sme_events_since(start, 1000)[
                    "events"
                ]
            ]
            self.assertEqual(
                [n for n in names if n in ("Slow", "Fast")], ["Slow", "Fast"]
            )
            # A transaction that publishes no event does not hold readers back.
            idle_writer = reg.cursor()
            try:
                idle_writer.execute(
                    "SELECT txid_current()"
                )  # running, with a transaction id
                env_fast["res.partner"].sme_upsert_customer(
                    {"name": "Later", "phone": phones[2]}
                )
                fast.commit()
                reader.rollback()
                later = [
                    e["payload"].get("name")
                    for e in env_reader["sme.customer.event"].sme_events_since(
                        start, 1000
                    )["events"]
                ]
                self.assertIn("Later", later)
            finally:
                idle_writer.close()
        finally:
            for cr in (slow, fast, reader):
                cr.close()
            with reg.cursor() as cleanup:
                env = api.Environment(cleanup, SUPERUSER_ID, {"active_test": False})
                partners = env["res.partner"].search(
                    [("sme_phone_normalized", "in", phones)]
                )
                env["sme.customer.event"].search(
                    [("partner_id", "in", partners.ids)]
                ).unlink()
                partners.unlink()
