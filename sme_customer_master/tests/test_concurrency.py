"""Two transactions upserting the same new phone at once end with one
customer. Uses real, committed transactions on two database cursors."""
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
        self.phone = "+9198%08d" % (uuid.uuid4().int % 10 ** 8)
        self.created_ids = set()

    def tearDown(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["res.partner"].search([("sme_phone_normalized", "=", self.phone)]).unlink()
            env["sme.customer.event"].search([("partner_id", "in", list(self.created_ids))]).unlink()
        super(TestConcurrentUpsert, self).tearDown()

    def _waiting_on_lock(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND wait_event_type = 'Lock'")
            return cr.fetchone()[0]

    def test_second_transaction_retries_and_updates(self):
        outcome = {}
        cr_first = self.registry.cursor()
        try:
            env_first = api.Environment(cr_first, SUPERUSER_ID, {})
            first = env_first["res.partner"].sme_upsert_customer(
                {"name": "First Writer", "phone": self.phone})
            self.created_ids.add(first["id"])

            def second_transaction():
                with api.Environment.manage():
                    run_second_transaction()

            def run_second_transaction():
                attempts = 0
                while True:
                    attempts += 1
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        try:
                            outcome["result"] = env["res.partner"].sme_upsert_customer(
                                {"name": "Second Writer", "phone": self.phone})
                            outcome["attempts"] = attempts
                            return
                        except OperationalError as error:
                            # What Odoo's RPC layer does with a serialization failure.
                            outcome.setdefault("errors", []).append(error.pgcode)
                            cr.rollback()
                            if attempts >= 3:
                                raise

            thread = threading.Thread(target=second_transaction)
            thread.start()
            deadline = time.time() + 20
            while not self._waiting_on_lock() and time.time() < deadline:
                time.sleep(0.1)
            self.assertTrue(self._waiting_on_lock(), "the second upsert did not wait on the first")
            cr_first.commit()
        finally:
            cr_first.close()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertEqual(outcome.get("errors"), [errorcodes.SERIALIZATION_FAILURE])
        self.assertEqual(outcome["result"], {"id": first["id"], "is_new": False})
        with self.registry.cursor() as cr:
            cr.execute("SELECT name FROM res_partner WHERE sme_phone_normalized = %s", (self.phone,))
            self.assertEqual(cr.fetchall(), [("Second Writer",)])


class TestOutboxLocks(common.TransactionCase):
    """Publishing takes one lock per transaction, however many events."""

    def own_event_locks(self):
        from odoo.addons.sme_customer_master.models.sme_customer_event import IN_FLIGHT_LOCK_CLASS
        self.env.cr.execute("SELECT objid::text::bigint FROM pg_locks WHERE locktype = 'advisory' "
                            "AND pid = pg_backend_pid() AND classid = %s AND objsubid = 1", (IN_FLIGHT_LOCK_CLASS,))
        return [row[0] for row in self.env.cr.fetchall()]

    def test_one_lock_for_many_events_and_a_new_one_after_a_rollback(self):
        Partner = self.env["res.partner"]
        with self.assertRaises(ValueError):
            with self.env.cr.savepoint():
                Partner.sme_upsert_customer({"name": "Undone", "phone": "+919800000001"})
                self.assertEqual(len(self.own_event_locks()), 1)
                raise ValueError("roll the savepoint back")
        self.assertEqual(self.own_event_locks(), [], "the savepoint took its lock with it")
        first = Partner.sme_upsert_customer({"name": "Kept", "phone": "+919800000002"})
        for n in range(3, 8):
            Partner.sme_upsert_customer({"name": "More %d" % n, "phone": "+91980000000%d" % n})
        locks = self.own_event_locks()
        event = self.env["sme.customer.event"].search([("partner_id", "=", first["id"])], limit=1)
        self.assertEqual(locks, [event.sequence], "one lock, on the transaction's first number")


class TestOutboxVisibility(common.TransactionCase):
    """An event of a transaction still running hides the events of later
    transactions from readers, so that no reader skips it."""

    def test_reader_waits_for_the_older_transaction(self):
        reg = registry(self.env.cr.dbname)
        with reg.cursor() as setup:
            env = api.Environment(setup, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            start = env["sme.customer.event"].sme_events_since(0, 1000, company.id)["last_sequence"]
        phones = ["+9198%08d" % (uuid.uuid4().int % 10 ** 8) for _ in range(3)]
        slow, fast, reader = reg.cursor(), reg.cursor(), reg.cursor()
        try:
            env_slow = api.Environment(slow, SUPERUSER_ID, {})
            env_slow["res.partner"].sme_upsert_customer({"name": "Slow", "phone": phones[0]})
            env_fast = api.Environment(fast, SUPERUSER_ID, {})
            env_fast["res.partner"].sme_upsert_customer({"name": "Fast", "phone": phones[1]})
            fast.commit()
            env_reader = api.Environment(reader, SUPERUSER_ID, {})
            early = env_reader["sme.customer.event"].sme_events_since(start, 1000)["events"]
            self.assertNotIn("Fast", [e["payload"].get("name") for e in early],
                             "a later event was shown while an earlier one was still uncommitted")
            slow.commit()
            reader.rollback()  # a new snapshot, as a new XML-RPC call gets
            names = [e["payload"].get("name") for e in
                     env_reader["sme.customer.event"].sme_events_since(start, 1000)["events"]]
            self.assertEqual([n for n in names if n in ("Slow", "Fast")], ["Slow", "Fast"])
            # A transaction that publishes no event does not hold readers back.
            idle_writer = reg.cursor()
            try:
                idle_writer.execute("SELECT txid_current()")  # running, with a transaction id
                env_fast["res.partner"].sme_upsert_customer({"name": "Later", "phone": phones[2]})
                fast.commit()
                reader.rollback()
                later = [e["payload"].get("name") for e in
                         env_reader["sme.customer.event"].sme_events_since(start, 1000)["events"]]
                self.assertIn("Later", later)
            finally:
                idle_writer.close()
        finally:
            for cr in (slow, fast, reader):
                cr.close()
            with reg.cursor() as cleanup:
                env = api.Environment(cleanup, SUPERUSER_ID, {"active_test": False})
                partners = env["res.partner"].search([("sme_phone_normalized", "in", phones)])
                env["sme.customer.event"].search([("partner_id", "in", partners.ids)]).unlink()
                partners.unlink()
