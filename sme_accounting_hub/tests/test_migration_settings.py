# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The 11.0.2.0.0 migration of settings and cursors: connections as 11.0.1
left them (settings in columns of the connection, cursors in its
``sync_state`` JSON) get their system's settings record and cursor rows."""
import importlib.util
import json
import os

from odoo.tests import common

SCRIPT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "migrations",
    "11.0.2.0.0",
    "post-settings.py",
)


def post_settings():
    spec = importlib.util.spec_from_file_location("sme_hub_post_settings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestSettingsMigration(common.SavepointCase):
    def setUp(self):
        super(TestSettingsMigration, self).setUp()
        Backend, cr = self.env["sme.accounting.backend"], self.env.cr
        self.tally = Backend.create({"name": "Old Tally", "system": "tally"})
        self.zoho = Backend.create({"name": "Old Zoho", "system": "zoho"})
        self.marg = Backend.create(
            {"name": "Old Marg", "system": "marg", "direction": "pull"}
        )
        backends = self.tally | self.zoho | self.marg
        self.env["sme.accounting.credential"]._store(
            self.zoho, "client_secret", "cs-old-secret"
        )
        # Back to 11.0.1's shape (in this test's transaction only): no
        # settings records; the settings and the cursors in the connection's columns.
        for backend in backends:
            backend.settings_ref.unlink()
        cr.execute(
            "UPDATE sme_accounting_backend SET settings_ref = NULL WHERE id IN %s",
            (tuple(backends.ids),),
        )
        cr.execute(
            """ALTER TABLE sme_accounting_backend
                      ADD COLUMN url VARCHAR, ADD COLUMN remote_company VARCHAR,
                      ADD COLUMN remote_branch VARCHAR, ADD COLUMN timeout INTEGER,
                      ADD COLUMN customer_group VARCHAR, ADD COLUMN sales_ledger VARCHAR,
                      ADD COLUMN zoho_region VARCHAR, ADD COLUMN zoho_organization_id VARCHAR,
                      ADD COLUMN oauth_client_id VARCHAR, ADD COLUMN sync_state TEXT"""
        )
        tally_state = {
            "customers": {"version": 1042, "last_sync": "2026-11-01 10:00:00"},
            "invoices": {"version": None, "last_sync": "2026-11-01 10:05:00"},
        }
        marg_state = {
            "customers": {
                "version": "2026-11-01 09:59:00",
                "last_sync": "2026-11-01 10:00:00",
                "full_read": "2026-10-31 02:00:00",
            }
        }
        for backend, values in (
            (
                self.tally,
                {
                    "url": "http://192.168.1.20:9000",
                    "remote_company": "Sharma Traders",
                    "timeout": 12,
                    "customer_group": None,
                    "sales_ledger": "Local Sales",
                    "sync_state": json.dumps(tally_state),
                },
            ),
            (
                self.zoho,
                {
                    "timeout": 30,
                    "zoho_region": "eu",
                    "zoho_organization_id": "600123",
                    "oauth_client_id": "1000.OLDCLIENT",
                    "sync_state": "{}",
                },
            ),
            (
                self.marg,
                {
                    "remote_company": "SHARMA01",
                    "remote_branch": "1",
                    "sync_state": json.dumps(marg_state),
                },
            ),
        ):
            for (
                column,
                value,
            ) in values.items():  # column names are this test's own, not input
                cr.execute(
                    'UPDATE sme_accounting_backend SET "%s" = %%s WHERE id = %%s'
                    % column,
                    (value, backend.id),
                )
        backends.invalidate_cache()

    def migrate(self):
        post_settings().migrate(self.env.cr, "11.0.1.4.0")
        self.env[
            "sme.accounting.backend"
        ].invalidate_cache()  # everything (no field, no id given)

    def test_settings_move_to_the_systems_records(self):
        self.migrate()
        tally, zoho, marg = (
            self.tally.settings_ref,
            self.zoho.settings_ref,
            self.marg.settings_ref,
        )
        self.assertEqual(
            [s._name for s in (tally, zoho, marg)],
            [
                "sme.accounting.settings.tally",
                "sme.accounting.settings.zoho",
                "sme.accounting.settings.marg",
            ],
        )
        self.assertEqual(
            (tally.url, tally.remote_company, tally.timeout, tally.sales_ledger),
            ("http://192.168.1.20:9000", "Sharma Traders", 12, "Local Sales"),
        )
        self.assertFalse(
            tally.customer_group, "emptied before: stays empty, not the new default"
        )
        self.assertEqual(tally.bank_ledger, "HDFC Bank", "no old column: the default")
        self.assertEqual(
            (zoho.region, zoho.organization_id, zoho.oauth_client_id),
            ("eu", "600123", "1000.OLDCLIENT"),
        )
        self.assertEqual(
            zoho._secret("client_secret"),
            "cs-old-secret",
            "credentials stay with the connection",
        )
        self.assertEqual((marg.remote_company, marg.remote_branch), ("SHARMA01", "1"))

    def test_json_cursors_become_rows(self):
        self.migrate()
        Cursor = self.env["sme.accounting.cursor"]
        rows = {
            (c.backend_id.name, c.entity): c
            for c in Cursor.search(
                [("backend_id", "in", (self.tally | self.zoho | self.marg).ids)]
            )
        }
        self.assertEqual(
            sorted(rows),
            [
                ("Old Marg", "customers"),
                ("Old Tally", "customers"),
                ("Old Tally", "invoices"),
            ],
        )
        self.assertEqual(
            Cursor._read_point(self.tally, "customers"), 1042, "a number stays a number"
        )
        self.assertIsNone(Cursor._read_point(self.tally, "invoices"))
        marg = rows[("Old Marg", "customers")]
        self.assertEqual(
            (
                marg.position,
                marg.position_is_number,
                marg.last_sync,
                marg.last_full_read,
            ),
            (
                "2026-11-01 09:59:00",
                False,
                "2026-11-01 10:00:00",
                "2026-10-31 02:00:00",
            ),
        )

    def test_a_second_run_changes_nothing(self):
        self.migrate()
        settings = [b.settings_ref for b in (self.tally, self.zoho, self.marg)]
        cursors = self.env["sme.accounting.cursor"].search(
            [("backend_id", "=", self.tally.id)]
        )
        self.migrate()
        self.assertEqual(
            [b.settings_ref for b in (self.tally, self.zoho, self.marg)], settings
        )
        self.assertEqual(
            self.env["sme.accounting.cursor"].search(
                [("backend_id", "=", self.tally.id)]
            ),
            cursors,
        )
