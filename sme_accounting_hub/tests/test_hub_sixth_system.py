# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A sixth accounting system, made up, needs only its client class (the
AccountingClient contract, its capabilities as class attributes, registered
in the connectors' CLIENTS), its settings model and its settings view: all
three are in the test-only addon tests/addons/sme_hub_sixth_system (which
scripts/test.sh installs into the test database), and nothing of the hub
names it. The connection offers it, finds its settings by its key, says
what it does, pulls and pushes customers through it, and refuses what it
cannot."""
from unittest import mock

from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from odoo.addons.sme_customer_master.tests.common import InvoiceCase

from sme_connectors import CLIENTS
from sme_connectors.base import Customer

from .common import create_backend

ADDON = "sme_hub_sixth_system"
SETTINGS = "sme.accounting.settings.madeup"


@at_install(False)
@post_install(True)  # after the test addon that holds the system is installed
class TestASixthSystem(InvoiceCase):
    def setUp(self):
        super(TestASixthSystem, self).setUp()
        if SETTINGS not in self.env:
            self.fail(
                "the made-up system's addon (tests/addons/%s) is not installed in this "
                "database: build it with scripts/test.sh" % ADDON
            )
        from odoo.addons.sme_hub_sixth_system.client import MadeUpBooks

        self.client_class = MadeUpBooks
        registered = mock.patch.dict(
            CLIENTS, {"madeup": MadeUpBooks}
        )  # as the connectors package would list it
        registered.start()
        self.addCleanup(registered.stop)
        MadeUpBooks.ledgers = {
            "MU001": Customer(
                external_id="MU001",
                name="Lakshmi Stores",
                mobile="9845098450",
                city="Mysuru",
                version=1,
            )
        }
        self.backend = create_backend(
            self.env,
            {
                "name": "Made-up at the shop",
                "company_id": self.company_a.id,
                "system": "madeup",
                "frequency": "manual",
            },
            url="http://books.example.in",
            book="Shop book",
            api_key="mu-key-0001",
        )
        self.backend.action_activate()

    def run_jobs(self):
        from odoo.addons.queue_job.job import Job

        for queued in self.env["queue.job"].search(
            [("model_name", "=", "sme.accounting.backend"), ("state", "=", "pending")],
            order="id",
        ):
            if queued.record_ids == self.backend.ids:
                job = Job.load(self.env, queued.uuid)
                job.set_started()
                job.set_done(result=job.perform())
                job.store()

    def test_it_is_offered_and_says_what_it_does(self):
        systems = dict(
            self.env["sme.accounting.backend"].fields_get(["system"])["system"][
                "selection"
            ]
        )
        self.assertEqual(systems["madeup"], "Made-up Books")
        self.assertIn("Made-up Books: customers both ways.", self.backend.system_note)
        self.assertEqual(
            self.backend.action_test_connection()["name"], "Test connection"
        )

    def test_its_settings_are_its_own_model_and_view(self):
        settings = self.backend.settings_ref
        self.assertEqual(
            (settings._name, settings.backend_id), (SETTINGS, self.backend)
        )
        self.assertEqual(settings.secrets_set, "api_key")
        self.assertFalse(settings.read(["api_key"])[0]["api_key"], "write-only")
        # The client was made from the settings record, in neutral words.
        self.assertEqual(
            {
                key: self.client_class.last_settings[key]
                for key in ("url", "company", "api_key")
            },
            {
                "url": "http://books.example.in",
                "company": "Shop book",
                "api_key": "mu-key-0001",
            },
        )
        action = self.backend.action_open_settings()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            (SETTINGS, settings.id, "new"),
        )
        arch = self.env[SETTINGS].fields_view_get(view_type="form")["arch"]
        self.assertIn('name="book"', arch, "its own form, from its own view")
        self.assertEqual(
            self.env.ref("%s.sme_accounting_settings_madeup_view_form" % ADDON).model,
            SETTINGS,
        )

    def test_customers_come_in_and_go_out(self):
        self.backend._enqueue_pulls()
        self.run_jobs()
        lakshmi = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Lakshmi Stores")]
        )
        self.assertEqual(
            (lakshmi.city, lakshmi.sme_phone_normalized), ("Mysuru", "+919845098450")
        )
        [binding] = lakshmi.sme_accounting_binding_ids
        self.assertEqual((binding.external_id, binding.system), ("MU001", "madeup"))
        [cursor] = self.backend.cursor_ids
        self.assertEqual((cursor.entity, cursor.position), ("customers", "1"))
        self.customer("Ravi Traders", "9822033333")
        self.run_jobs()
        self.assertEqual(
            [c.name for c in self.client_class.ledgers.values()],
            ["Lakshmi Stores", "Ravi Traders"],
        )

    def test_what_it_cannot_do_is_refused_in_words(self):
        with self.assertRaises(UserError) as refused:
            self.env["sme.accounting.backend"].sme_sync(self.backend.id, "invoices")
        self.assertIn(
            "'invoices' cannot be pulled from Made-up at the shop. Pullable: customers",
            refused.exception.name,
        )
        self.backend.settings_ref.url = False
        with self.assertRaises(UserError) as missing:
            self.backend.action_test_connection()
        self.assertIn("Set the Made-up Books address first.", missing.exception.name)

    def test_a_system_that_only_gives_data_out_is_pull_only(self):
        with mock.patch.object(self.client_class, "pushes", frozenset()):
            with self.assertRaises(ValidationError):
                self.backend.direction = "both"

    def test_its_system_stays(self):
        with self.assertRaises(ValidationError) as refused:
            self.backend.system = (
                "tally"  # its settings, links and cursors are Made-up Books'
            )
        self.assertIn("cannot change", refused.exception.name)
