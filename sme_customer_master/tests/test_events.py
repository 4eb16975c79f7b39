# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer events: notified through component_event once each, with
their payload, and appended to the per-company outbox."""
import json

from odoo.exceptions import UserError

from .common import CustomerMasterCase, listening

CUSTOMER_EVENTS = (
    "on_sme_customer_created",
    "on_sme_customer_updated",
    "on_sme_customer_archived",
)


class TestCustomerEvents(CustomerMasterCase):
    def test_created_event_once_with_payload(self):
        with listening(self.env, *CUSTOMER_EVENTS) as received:
            partner = self.customer("Asha Rao", "9876543210")
        self.assertEqual(
            [(name, record) for name, record, _kw in received],
            [("on_sme_customer_created", partner)],
        )
        row = self.outbox(self.company_a)
        self.assertEqual(len(row), 1)
        self.assertEqual(
            json.loads(row.payload),
            {
                "partner_id": partner.id,
                "name": "Asha Rao",
                "phone": "+919876543210",
                "company_id": self.company_a.id,
                "active": True,
            },
        )

    def test_updated_event_names_the_changed_fields(self):
        partner = self.customer("Asha Rao", "9876543210")
        with listening(self.env, *CUSTOMER_EVENTS) as received:
            self.upsert(
                {"name": "Asha Rao", "phone": "9876543210", "email": "asha@example.in"}
            )
        self.assertEqual(len(received), 1)
        name, record, kwargs = received[0]
        self.assertEqual((name, record), ("on_sme_customer_updated", partner))
        self.assertEqual(kwargs["fields"], ["email", "name", "phone"])
        last = self.outbox(self.company_a)[-1]
        self.assertEqual(json.loads(last.payload)["fields"], ["email", "name", "phone"])

    def test_archived_event(self):
        partner = self.customer("Asha Rao", "9876543210")
        with listening(self.env, *CUSTOMER_EVENTS) as received:
            partner.active = False
        self.assertEqual(
            [name for name, _r, _k in received], ["on_sme_customer_archived"]
        )

    def test_no_events_for_non_customers(self):
        with listening(self.env, *CUSTOMER_EVENTS) as received:
            vendor = self.Partner.create(
                {
                    "name": "Steel Supplier",
                    "customer": False,
                    "company_id": self.company_a.id,
                }
            )
            vendor.write({"city": "Nashik"})
        self.assertEqual(received, [])

    def test_sequences_increase_per_company(self):
        first = self.customer("Asha Rao", "9876543210", self.company_a)
        self.customer("Asha Rao", "9876543210", self.company_b)
        second = self.customer("Ravi Kumar", "9822012345", self.company_a)
        in_a = self.outbox(self.company_a)
        self.assertEqual(in_a.mapped("partner_id"), first | second)
        self.assertLess(in_a[0].sequence, in_a[1].sequence)
        self.assertEqual(len(self.outbox(self.company_b)), 1)

    def test_events_since_pages_without_gaps_or_repeats(self):
        for number in range(7):
            self.customer("Customer %d" % number, "98220123%02d" % number)
        Event = self.env["sme.customer.event"]
        seen, after = [], 0
        while True:
            page = Event.sme_events_since(after, 3, self.company_a.id)
            seen += [event["sequence"] for event in page["events"]]
            after = page["last_sequence"]
            if not page["has_more"]:
                break
        self.assertEqual(seen, sorted(set(seen)))
        self.assertEqual(seen, self.outbox(self.company_a).mapped("sequence"))
        self.assertEqual(len(seen), 7)
        self.assertEqual(
            Event.sme_events_since(after, 3, self.company_a.id)["events"], []
        )
        first = Event.sme_events_since(0, 1, self.company_a.id)["events"][0]
        self.assertEqual(first["event"], "on_sme_customer_created")
        self.assertEqual(first["payload"]["name"], "Customer 0")

    def test_events_since_refuses_bad_paging(self):
        Event = self.env["sme.customer.event"]
        for after, limit in ((0, 0), (0, 5000), ("x", 10)):
            with self.assertRaises(UserError):
                Event.sme_events_since(after, limit, self.company_a.id)

    def test_users_read_only_their_companies_events(self):
        self.customer("Asha Rao", "9876543210", self.company_b)
        Event = self.env["sme.customer.event"].sudo(self.user_a)
        self.assertFalse(Event.search([("company_id", "=", self.company_b.id)]))
        self.assertEqual(Event.sme_events_since(0, 10)["events"], [])
