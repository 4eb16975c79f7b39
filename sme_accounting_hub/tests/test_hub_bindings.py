# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Typed bindings: one binding model per bound Odoo model, with a foreign
key (no orphan binding), unique both ways per connection; the list of
every binding of a connection; where a customer lives; the record a push
job sends; the migration of the 1.x bindings."""
import importlib.util
import os

import psycopg2

from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger, sql as odoo_sql

from odoo.addons.sme_customer_master.tests.common import InvoiceCase

MIGRATIONS = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "migrations", "11.0.2.0.0"
)


def migration(name):
    """A migration script as a module (its file name has a dash)."""
    spec = importlib.util.spec_from_file_location(
        "sme_hub_migration.%s" % name.replace("-", "_"),
        os.path.join(MIGRATIONS, "%s.py" % name),
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@at_install(False)
@post_install(True)
class BindingCase(InvoiceCase):
    """Two connections of company A (never activated: no system is asked
    anything), a customer and an account."""

    @classmethod
    def setUpClass(cls):
        super(BindingCase, cls).setUpClass()
        Backend = cls.env["sme.accounting.backend"]
        cls.tally = Backend.create(
            {
                "name": "Tally at the shop",
                "company_id": cls.company_a.id,
                "system": "tally",
            }
        )
        cls.zoho = Backend.create(
            {
                "name": "Zoho of the shop",
                "company_id": cls.company_a.id,
                "system": "zoho",
            }
        )
        cls.Binding = cls.env["sme.accounting.binding"]
        cls.gupta = cls.env["res.partner"].browse(
            cls.env["res.partner"].sme_upsert_customer(
                {"name": "Gupta Electricals", "phone": "9823011122"}, cls.company_a.id
            )["id"]
        )
        cls.account = cls.env["account.account"].create(
            {
                "name": "Freight Inward",
                "code": "FRT100",
                "company_id": cls.company_a.id,
                "user_type_id": cls.env.ref("account.data_account_type_expenses").id,
            }
        )

    def assertRefusedByDatabase(self, create):
        with self.assertRaises(psycopg2.IntegrityError), mute_logger(
            "odoo.sql_db"
        ), self.env.cr.savepoint():
            create()


class TestTypedBindings(BindingCase):
    def test_each_model_has_its_binding_model(self):
        self.assertEqual(
            self.Binding._binding_model_names(),
            {
                "res.partner": "sme.accounting.partner.binding",
                "account.invoice": "sme.accounting.invoice.binding",
                "account.payment": "sme.accounting.payment.binding",
                "account.move": "sme.accounting.move.binding",
                "account.account": "sme.accounting.account.binding",
            },
        )
        binding = self.Binding._bind(
            self.tally, self.gupta, "GUID-1", external_name="Gupta Electricals"
        )
        self.assertEqual(binding._name, "sme.accounting.partner.binding")
        self.assertEqual(binding.odoo_id, self.gupta)
        self.assertEqual(
            self.Binding._find(self.tally, "res.partner", "GUID-1"), binding
        )
        self.assertEqual(
            self.Binding._find(self.tally, "res.partner", record=self.gupta), binding
        )
        self.assertFalse(
            self.Binding._find(self.zoho, "res.partner", "GUID-1"), "per connection"
        )
        self.assertEqual(
            self.Binding._linked_record(self.tally, "res.partner", "Gupta Electricals"),
            self.gupta,
        )
        self.assertEqual(
            self.Binding._linked_record(
                self.tally, "account.account", "Gupta Electricals"
            ),
            self.env["account.account"],
            "by model: the customer's name is no account",
        )
        # Binding again refreshes the same binding.
        again = self.Binding._bind(
            self.tally, self.gupta, "GUID-1", external_version="7"
        )
        self.assertEqual(
            (again, again.external_version, again.external_name),
            (binding, "7", "Gupta Electricals"),
        )

    def test_unique_both_ways_per_connection(self):
        Partners = self.env["sme.accounting.partner.binding"]
        Partners.create(
            {
                "backend_id": self.tally.id,
                "odoo_id": self.gupta.id,
                "external_id": "GUID-1",
            }
        )
        other = self.env["res.partner"].create(
            {"name": "Asha Rao", "company_id": self.company_a.id}
        )
        self.assertRefusedByDatabase(
            lambda: Partners.create(
                {
                    "backend_id": self.tally.id,
                    "odoo_id": other.id,
                    "external_id": "GUID-1",
                }
            )
        )
        self.assertRefusedByDatabase(
            lambda: Partners.create(
                {
                    "backend_id": self.tally.id,
                    "odoo_id": self.gupta.id,
                    "external_id": "GUID-2",
                }
            )
        )
        # The same on another binding model.
        Accounts = self.env["sme.accounting.account.binding"]
        Accounts.create(
            {
                "backend_id": self.tally.id,
                "odoo_id": self.account.id,
                "external_id": "L-9",
            }
        )
        self.assertRefusedByDatabase(
            lambda: Accounts.create(
                {
                    "backend_id": self.tally.id,
                    "odoo_id": self.account.id,
                    "external_id": "L-10",
                }
            )
        )
        # Another connection may link the same record, and use the same id there.
        Partners.create(
            {
                "backend_id": self.zoho.id,
                "odoo_id": self.gupta.id,
                "external_id": "GUID-1",
            }
        )
        # Ids there are per model: a ledger id may name an account and a customer.
        Accounts.create(
            {
                "backend_id": self.zoho.id,
                "odoo_id": self.account.id,
                "external_id": "GUID-1",
            }
        )
        self.assertEqual(
            self.Binding.search_count([("backend_id", "=", self.zoho.id)]), 2
        )

    def test_the_connection_lists_every_binding(self):
        partner = self.Binding._bind(
            self.tally, self.gupta, "GUID-1", external_name="Gupta Electricals"
        )
        account = self.Binding._bind(
            self.tally, self.account, "L-9", external_name="Freight"
        )
        self.Binding._bind(self.zoho, self.gupta, "4650001")
        rows = self.Binding.search([("backend_id", "=", self.tally.id)])
        self.assertEqual(len(rows), 2)
        self.assertEqual(self.tally.binding_count, 2)
        self.assertEqual(
            {(row.model, row.res_id, row.external_id) for row in rows},
            {
                ("res.partner", self.gupta.id, "GUID-1"),
                ("account.account", self.account.id, "L-9"),
            },
        )
        self.assertEqual({row.typed_binding() for row in rows}, {partner, account})
        row = rows.filtered(lambda r: r.model == "account.account")
        self.assertEqual(
            (row.record(), row.record_name, row.model_label, row.system),
            (
                self.account,
                self.account.display_name,
                self.env["account.account"]._description,
                "tally",
            ),
        )
        self.assertEqual(
            self.Binding.search([("system", "=", "zoho")]).res_id, self.gupta.id
        )
        action = self.tally.action_view_bindings()
        self.assertEqual(action["res_model"], "sme.accounting.binding")
        self.assertEqual(self.Binding.search(action["domain"]), rows)
        # A manager unlinks a row: its typed binding goes.
        row.unlink()
        self.assertFalse(account.exists())
        self.assertEqual(self.tally.binding_count, 1)


class TestDeletingBoundRecords(BindingCase):
    def orphans(self):
        """Binding rows whose record is missing: none may exist, whatever happened."""
        return self.Binding.search([]).filtered(lambda row: not row.record())

    def test_a_bound_customer_is_archived_not_deleted(self):
        binding = self.Binding._bind(self.tally, self.gupta, "GUID-1")
        self.gupta.unlink()
        self.assertTrue(
            self.gupta.exists(),
            "archived by the customer master, as customers with history are",
        )
        self.assertFalse(self.gupta.active)
        self.assertEqual(binding.odoo_id, self.gupta)
        self.assertFalse(self.orphans())

    def test_a_bound_partner_that_is_no_customer_is_refused_in_words(self):
        supplier = self.env["res.partner"].create(
            {
                "name": "Wire Mills",
                "customer": False,
                "supplier": True,
                "company_id": self.company_a.id,
            }
        )
        self.Binding._bind(
            self.tally, supplier, "GUID-9", external_name="Wire Mills Ltd"
        )
        with self.assertRaisesRegex(
            UserError,
            r"Wire Mills is in Tally as 'Wire Mills Ltd' "
            r"\(connection Tally at the shop\): archive it",
        ):
            supplier.unlink()
        self.assertTrue(supplier.exists())
        # The foreign key refuses it too, for a delete that goes around the ORM's checks.
        self.assertRefusedByDatabase(
            lambda: self.env.cr.execute(
                "DELETE FROM res_partner WHERE id = %s", (supplier.id,)
            )
        )
        self.assertFalse(self.orphans())

    def test_an_unbound_partner_is_deleted_as_before(self):
        stranger = self.env["res.partner"].create(
            {"name": "Passer-by", "company_id": self.company_a.id}
        )
        self.Binding._bind(self.tally, self.gupta, "GUID-1")
        stranger.unlink()
        self.assertFalse(stranger.exists())

    def test_exchanged_documents_are_not_deleted(self):
        invoice = self.make_invoice(
            1000, partner_id=self.gupta.id
        )  # a draft Odoo would delete
        self.Binding._bind(self.tally, invoice, "VCH-1", external_name="1")
        with self.assertRaisesRegex(UserError, "in the books there: cancel it"):
            invoice.unlink()
        self.assertTrue(invoice.exists())
        self.assertRefusedByDatabase(
            lambda: self.env.cr.execute(
                "DELETE FROM account_invoice WHERE id = %s", (invoice.id,)
            )
        )
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company_a.id), ("type", "=", "general")], limit=1
        )
        income = self._income_account(self.company_a)
        move = self.env["account.move"].create(
            {
                "journal_id": journal.id,
                "date": "2026-01-05",
                "line_ids": [
                    (0, 0, {"name": "Opening", "account_id": income.id, "debit": 10.0}),
                    (
                        0,
                        0,
                        {
                            "name": "Opening",
                            "account_id": self.account.id,
                            "credit": 10.0,
                        },
                    ),
                ],
            }
        )
        self.Binding._bind(self.tally, move, "VCH-2")
        with self.assertRaisesRegex(UserError, "in the books there: reverse it"):
            move.unlink()
        bank = self.env["account.journal"].search(
            [("company_id", "=", self.company_a.id), ("type", "=", "bank")], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.gupta.id,
                "amount": 50.0,
                "journal_id": bank.id,
                "payment_date": "2026-01-05",
                "payment_method_id": self.env.ref(
                    "account.account_payment_method_manual_in"
                ).id,
            }
        )
        self.Binding._bind(self.tally, payment, "VCH-3")
        with self.assertRaisesRegex(UserError, "in the books there: cancel it instead"):
            payment.unlink()
        self.assertTrue(move.exists() and payment.exists())
        self.assertFalse(self.orphans())

    def test_a_deleted_account_takes_its_link_along(self):
        binding = self.Binding._bind(
            self.tally, self.account, "L-9", external_name="Freight"
        )
        self.account.unlink()
        self.assertFalse(
            binding.exists(), "the link goes with the account (ondelete cascade)"
        )
        self.assertFalse(
            self.Binding._linked_record(self.tally, "account.account", "Freight")
        )
        self.assertFalse(self.orphans())


class TestWhereTheCustomerLives(BindingCase):
    def test_the_customer_form_says_where_it_lives(self):
        self.assertFalse(self.gupta.sme_accounting_where)
        tally = self.Binding._bind(
            self.tally, self.gupta, "GUID-1", external_name="Gupta Electricals (Pune)"
        )
        zoho = self.Binding._bind(self.zoho, self.gupta, "4650001")
        self.gupta.invalidate_cache()
        self.assertEqual(self.gupta.sme_accounting_binding_ids, tally | zoho)
        self.assertEqual(
            self.gupta.sme_accounting_where,
            "in Tally as Gupta Electricals (Pune), in Zoho Books as 4650001",
        )
        second = self.env["sme.accounting.backend"].create(
            {
                "name": "Tally at the branch",
                "company_id": self.company_a.id,
                "system": "tally",
            }
        )
        self.Binding._bind(second, self.gupta, "GUID-7", external_name="Gupta Elec")
        self.gupta.invalidate_cache()
        self.assertIn(
            "in Tally (Tally at the branch) as Gupta Elec",
            self.gupta.sme_accounting_where,
        )
        self.assertIn(
            "in Tally (Tally at the shop) as Gupta Electricals (Pune)",
            self.gupta.sme_accounting_where,
        )
        arch = self.env["res.partner"].fields_view_get(view_type="form")["arch"]
        self.assertIn('name="sme_accounting_where"', arch)
        self.assertIn('name="sme_accounting_binding_ids"', arch)


class TestPushJobRelatedAction(BindingCase):
    def test_related_opens_the_record_sent(self):
        invoice = self.make_invoice(1000, partner_id=self.gupta.id)
        queued = self.tally._enqueue_export(invoice).db_record()
        action = queued.open_related_action()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["view_mode"]),
            ("account.invoice", invoice.id, "form"),
        )
        customer_job = self.tally._enqueue_export(self.gupta).db_record()
        self.assertEqual(customer_job.open_related_action()["res_id"], self.gupta.id)
        # A pull sends no record: its job opens the connection (queue_job's own related action).
        pull = self.tally.with_delay().sme_job_pull("customers").db_record()
        self.assertEqual(
            (
                pull.open_related_action()["res_model"],
                pull.open_related_action()["res_id"],
            ),
            ("sme.accounting.backend", self.tally.id),
        )
        # The record was deleted since: nothing to open, said in words.
        stranger = self.env["res.partner"].create(
            {"name": "Passer-by", "company_id": self.company_a.id}
        )
        gone = self.tally._enqueue_export(stranger).db_record()
        stranger.unlink()
        with self.assertRaisesRegex(UserError, "No action available"):
            gone.open_related_action()


class TestMigrationOfLegacyBindings(BindingCase):
    """The 1.x binding table (model, res_id, no foreign key) with a
    customer's, an account's and an orphan's binding, and an open conflict,
    built in this test's transaction where the view stands; then the two
    scripts, with the module's loading (the view's creation) in between."""

    def build_legacy_table(self):
        cr = self.env.cr
        odoo_sql.drop_view_if_exists(cr, "sme_accounting_binding")
        cr.execute(
            """CREATE TABLE sme_accounting_binding (
            id serial PRIMARY KEY,
            backend_id integer NOT NULL
                REFERENCES sme_accounting_backend ON DELETE CASCADE,
            company_id integer, system varchar, model varchar NOT NULL,
            res_id integer NOT NULL,
            external_id varchar NOT NULL, external_name varchar,
            external_version varchar, payload_hash varchar,
            sync_date timestamp, create_uid integer, create_date timestamp,
            write_uid integer, write_date timestamp,
            CONSTRAINT sme_accounting_binding_external_uniq
                UNIQUE (backend_id, model, external_id),
            CONSTRAINT sme_accounting_binding_record_uniq
                UNIQUE (backend_id, model, res_id))"""
        )
        deleted = self.env["res.partner"].create(
            {"name": "Long Gone", "company_id": self.company_a.id}
        )
        deleted_id = deleted.id
        deleted.unlink()
        rows = [
            ("res.partner", self.gupta.id, "GUID-1", "Gupta Electricals", "41"),
            ("account.account", self.account.id, "GUID-2", "Freight", "42"),
            ("res.partner", deleted_id, "GUID-3", "Long Gone", "43"),
            ("res.country", 1, "GUID-4", "A model no binding binds", "44"),
        ]
        ids = {}
        for model, res_id, external_id, name, version in rows:
            cr.execute(
                """INSERT INTO sme_accounting_binding
                       (backend_id, company_id, system, model, res_id, external_id,
                        external_name, external_version, payload_hash, sync_date)
                   VALUES (%s, %s, 'tally', %s, %s, %s, %s, %s, 'hash',
                           '2026-01-02 03:04:05')
                   RETURNING id""",
                (
                    self.tally.id,
                    self.company_a.id,
                    model,
                    res_id,
                    external_id,
                    name,
                    version,
                ),
            )
            ids[external_id] = cr.fetchone()[0]
        # The 1.x conflict's key pointed at the 1.x table.
        cr.execute(
            "ALTER TABLE sme_accounting_conflict DROP CONSTRAINT "
            "sme_accounting_conflict_binding_id_fkey"
        )
        cr.execute(
            "ALTER TABLE sme_accounting_conflict ADD CONSTRAINT "
            "sme_accounting_conflict_binding_id_fkey FOREIGN KEY (binding_id) "
            "REFERENCES sme_accounting_binding ON DELETE CASCADE"
        )
        conflicts = {}
        for external_id in ("GUID-1", "GUID-3"):
            cr.execute(
                """INSERT INTO sme_accounting_conflict
                       (backend_id, company_id, binding_id, state, remote_version,
                        odoo_values, remote_values)
                   VALUES (%s, %s, %s, 'open', '9', '{}', '{"email": "x@example.in"}')
                   RETURNING id""",
                (self.tally.id, self.company_a.id, ids[external_id]),
            )
            conflicts[external_id] = cr.fetchone()[0]
        return conflicts

    def test_legacy_bindings_become_typed(self):
        cr = self.env.cr
        conflicts = self.build_legacy_table()
        with mute_logger("odoo.sql_db"):
            migration("pre-bindings").migrate(cr, "11.0.1.3.0")
        self.assertEqual(odoo_sql.table_kind(cr, "sme_accounting_binding_legacy"), "r")
        self.assertFalse(
            odoo_sql.table_exists(cr, "sme_accounting_binding"),
            "the name is free for the view",
        )
        # What Odoo does between the two scripts: the view, the conflict's new key.
        self.env["sme.accounting.binding"]._create_view()
        odoo_sql.fix_foreign_key(
            cr,
            "sme_accounting_conflict",
            "binding_id",
            "sme_accounting_partner_binding",
            "id",
            "cascade",
        )
        post = migration("post-bindings")
        with self.assertLogs(
            "sme_hub_migration.post_bindings", level="WARNING"
        ) as logged:
            post.migrate(cr, "11.0.1.3.0")
        self.assertFalse(odoo_sql.table_exists(cr, "sme_accounting_binding_legacy"))
        self.assertFalse(odoo_sql.table_exists(cr, "sme_accounting_conflict_legacy"))
        self.env.cache.invalidate()
        partner = self.env["sme.accounting.partner.binding"].search(
            [("backend_id", "=", self.tally.id)]
        )
        self.assertEqual(
            (
                partner.odoo_id,
                partner.external_id,
                partner.external_name,
                partner.external_version,
                partner.payload_hash,
                partner.sync_date,
                partner.company_id,
                partner.system,
            ),
            (
                self.gupta,
                "GUID-1",
                "Gupta Electricals",
                "41",
                "hash",
                "2026-01-02 03:04:05",
                self.company_a,
                "tally",
            ),
        )
        account = self.env["sme.accounting.account.binding"].search(
            [("backend_id", "=", self.tally.id)]
        )
        self.assertEqual(
            (account.odoo_id, account.external_id), (self.account, "GUID-2")
        )
        self.assertEqual(
            sorted(
                self.Binding.search([("backend_id", "=", self.tally.id)]).mapped(
                    "external_id"
                )
            ),
            ["GUID-1", "GUID-2"],
            "the orphan and the unbound model are not copied",
        )
        text = "\n".join(logged.output)
        self.assertIn("GUID-3", text, "the orphan is named in the log")
        self.assertIn("res.country", text)
        conflict = self.env["sme.accounting.conflict"].browse(conflicts["GUID-1"])
        self.assertEqual(
            conflict.binding_id,
            partner,
            "the conflict points at the customer's new binding",
        )
        self.assertEqual(
            (conflict.state, conflict.record_name), ("open", self.gupta.display_name)
        )
        self.assertFalse(
            self.env["sme.accounting.conflict"].browse(conflicts["GUID-3"]).exists()
        )
        # Run again (a second upgrade): nothing to do, nothing broken.
        migration("pre-bindings").migrate(cr, "11.0.2.0.0")
        post.migrate(cr, "11.0.2.0.0")
        self.assertEqual(
            self.Binding.search_count([("backend_id", "=", self.tally.id)]), 2
        )
