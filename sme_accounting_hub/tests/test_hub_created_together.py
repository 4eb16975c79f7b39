# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A pull creates the customers Odoo does not have together (one INSERT a
window), and a refusal among them still fails that record alone."""
from .common import HubCase


class TestCustomersCreatedTogether(HubCase):
    def save_ledgers(self, count, changes=None):
        books = self.tally.books.companies["Sharma Traders"]
        for n in range(count):
            ledger = {
                "NAME": "Window Customer %02d" % n,
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "98765 4%04d" % n,
                "EMAIL": "w%02d@example.in" % n,
            }
            ledger.update((changes or {}).get(n, {}))
            books.save_ledger(ledger, "Create")

    def pull(self):
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        return self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.backend.id), ("entity", "=", "customers")],
            limit=1,
        )

    def customers(self):
        return self.Partner.search(
            [
                ("company_id", "=", self.company_a.id),
                ("name", "like", "Window Customer"),
            ]
        )

    def test_new_customers_are_made_in_one_go_with_all_they_get(self):
        before = self.env["sme.customer.event"].search_count(
            [("company_id", "=", self.company_a.id)]
        )
        self.save_ledgers(30)
        queries = self.env.cr.sql_log_count
        log = self.pull()
        # One by one, a customer costs over a hundred queries; made together, a few each.
        self.assertLess((self.env.cr.sql_log_count - queries) / 34.0, 25)
        customers = self.customers()
        self.assertEqual(
            (log.created, log.failed, len(customers)), (30 + 4, 0, 30)
        )  # and the demo's four
        self.assertEqual(
            sorted(customers.mapped("sme_phone_normalized")),
            sorted("+91987654%04d" % n for n in range(30)),
        )
        events = self.env["sme.customer.event"].search(
            [("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(len(events) - before, 34)
        linked = self.env["sme.accounting.partner.binding"].search(
            [("backend_id", "=", self.backend.id)]
        )
        self.assertEqual(linked.mapped("odoo_id") & customers, customers)
        self.assertEqual(
            linked.filtered(
                lambda binding: binding.odoo_id == customers[:1]
            ).external_name,
            customers[:1].name,
        )
        profiles = self.env["sme.customer.health"].search(
            [("partner_id", "in", customers.ids)]
        )
        self.assertEqual(len(profiles), 30)
        self.assertEqual(self.pull().created, 0, "nothing twice")

    def test_a_refused_ledger_fails_alone_and_the_others_come(self):
        self.save_ledgers(12, {5: {"EMAIL": "not an address"}})
        log = self.pull()
        self.assertEqual((log.created, log.failed), (4 + 11, 1))
        self.assertIn(
            "Window Customer 05",
            " ".join(
                log.line_ids.filtered(lambda line: line.level == "error").mapped(
                    "reason"
                )
            ),
        )
        self.assertEqual(len(self.customers()), 11)

    def test_two_ledgers_with_one_phone_are_one_customer_not_two(self):
        self.save_ledgers(3, {2: {"LEDGERMOBILE": "98765 40000"}})
        log = self.pull()
        self.assertEqual(len(self.customers()), 2)
        self.assertEqual(log.failed, 1)
        self.assertIn(
            "same customer",
            " ".join(
                log.line_ids.filtered(lambda line: line.level == "error").mapped(
                    "reason"
                )
            ),
        )

    def test_a_customer_odoo_has_is_updated_not_doubled(self):
        known = self.customer("Window Customer 01", "98765 40001")
        self.save_ledgers(4)
        self.pull()
        self.assertEqual(len(self.customers()), 4)
        self.assertEqual(known.email, "w01@example.in")
