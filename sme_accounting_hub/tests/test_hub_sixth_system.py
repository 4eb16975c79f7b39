"""A sixth accounting system, made up here, needs only its client class
(the AccountingClient contract, its capabilities as class attributes)
registered in connectors.CLIENTS: the connection offers it, says what it
does, pulls and pushes customers through it, and refuses what it cannot."""
from unittest import mock

from odoo.exceptions import UserError, ValidationError

from odoo.addons.sme_accounting_hub.connectors import CLIENTS
from odoo.addons.sme_accounting_hub.connectors.base import (
    AccountingClient, Customer, Records, SettingsMissing, WriteResult)
from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class MadeUpBooks(AccountingClient):
    """Customers kept in memory, numbered; versions grow with each write."""

    system, label = "madeup", "Made-up Books"
    pulls = frozenset(("customers",))
    pushes = frozenset(("customers",))
    note = "Made-up Books: customers both ways."
    ledgers = {}  # external id -> Customer, shared by the clients of a test

    @classmethod
    def from_settings(cls, settings):
        if not settings.get("url"):
            raise SettingsMissing("Set the Made-up Books address first.")
        return cls()

    def test_connection(self):
        return 0.001, "Made-up Books at your service"

    def iter_customers(self, since=None):
        changed = [c for c in self.ledgers.values() if c.version > (since or 0)]
        return Records(changed, expected=len(changed))

    def find_customer(self, key):
        return self.ledgers.get(key) or next((c for c in self.ledgers.values() if c.name == key), None)

    def push_customer(self, customer, alter=False):
        existing = self.find_customer(customer.external_id if alter else customer.name)
        if existing and not alter:
            return WriteResult(customer.name, "linked", existing.external_id)
        external_id = existing.external_id if existing else "MU%03d" % (len(self.ledgers) + 1)
        version = max([c.version for c in self.ledgers.values()] or [0]) + 1
        self.ledgers[external_id] = customer._replace(external_id=external_id, version=version)
        return WriteResult(customer.name, "altered" if existing else "created", external_id, version=version)


class TestASixthSystem(InvoiceCase):

    def setUp(self):
        super(TestASixthSystem, self).setUp()
        registered = mock.patch.dict(CLIENTS, {"madeup": MadeUpBooks})
        registered.start()
        self.addCleanup(registered.stop)
        MadeUpBooks.ledgers = {"MU001": Customer(external_id="MU001", name="Lakshmi Stores", mobile="9845098450",
                                                 city="Mysuru", version=1)}
        self.backend = self.env["sme.accounting.backend"].create({
            "name": "Made-up at the shop", "company_id": self.company_a.id, "system": "madeup",
            "url": "http://books.example.in", "frequency": "manual"})
        self.backend.action_activate()

    def run_jobs(self):
        from odoo.addons.queue_job.job import Job
        for queued in self.env["queue.job"].search([("model_name", "=", "sme.accounting.backend"),
                                                    ("state", "=", "pending")], order="id"):
            if queued.record_ids == self.backend.ids:
                job = Job.load(self.env, queued.uuid)
                job.set_started()
                job.set_done(result=job.perform())
                job.store()

    def test_it_is_offered_and_says_what_it_does(self):
        systems = dict(self.env["sme.accounting.backend"].fields_get(["system"])["system"]["selection"])
        self.assertEqual(systems["madeup"], "Made-up Books")
        self.assertIn("Made-up Books: customers both ways.", self.backend.system_note)
        self.assertEqual(self.backend.action_test_connection()["name"], "Test connection")

    def test_customers_come_in_and_go_out(self):
        self.backend._enqueue_pulls()
        self.run_jobs()
        lakshmi = self.Partner.search([("company_id", "=", self.company_a.id), ("name", "=", "Lakshmi Stores")])
        self.assertEqual((lakshmi.city, lakshmi.sme_phone_normalized), ("Mysuru", "+919845098450"))
        [binding] = lakshmi.sme_accounting_binding_ids
        self.assertEqual((binding.external_id, binding.system), ("MU001", "madeup"))
        self.customer("Ravi Traders", "9822033333")
        self.run_jobs()
        self.assertEqual([c.name for c in MadeUpBooks.ledgers.values()], ["Lakshmi Stores", "Ravi Traders"])

    def test_what_it_cannot_do_is_refused_in_words(self):
        with self.assertRaises(UserError) as refused:
            self.env["sme.accounting.backend"].sme_sync(self.backend.id, "invoices")
        self.assertIn("'invoices' cannot be pulled from Made-up at the shop. Pullable: customers",
                      refused.exception.name)
        self.backend.url = False
        with self.assertRaises(UserError) as missing:
            self.backend.action_test_connection()
        self.assertIn("Set the Made-up Books address first.", missing.exception.name)

    def test_a_system_that_only_gives_data_out_is_pull_only(self):
        with mock.patch.object(MadeUpBooks, "pushes", frozenset()):
            with self.assertRaises(ValidationError):
                self.backend.direction = "both"
