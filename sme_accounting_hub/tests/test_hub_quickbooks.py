# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hub end to end with the QuickBooks Online sandbox beside Tally:
connecting (realmId), rotating refresh tokens kept, customers deduplicated by
phone, an invoice into each system once, stale SyncToken under each policy."""
import requests

from odoo.addons.queue_job.exception import FailedJobError

from sme_connectors.sandbox.quickbooks_server import DEMO_CLIENT
from sme_connectors.sandbox.testing import running_quickbooks

from .common import HubCase, create_backend

REALM = "9341452000000001"


class QuickBooksCase(HubCase):
    def setUp(self):
        super(QuickBooksCase, self).setUp()
        server = running_quickbooks()
        self.qbo_url, self.qbo = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.qbo_backend = create_backend(
            self.env,
            {
                "name": "QuickBooks",
                "company_id": self.company_a.id,
                "system": "quickbooks",
            },
            timeout=5,
            oauth_client_id=DEMO_CLIENT[0],
            client_secret=DEMO_CLIENT[1],
            oauth_url=self.qbo_url,
            url=self.qbo_url,
            environment="sandbox",
        )
        answer = requests.post(
            self.qbo_url + "_sandbox/code",
            json={"redirect_uri": self.qbo_backend.settings_ref._oauth_redirect_uri()},
        ).json()
        self.env["sme.accounting.oauth.code"].create(
            {
                "backend_id": self.qbo_backend.id,
                "code": answer["code"],
                "realm_id": answer["realmId"],
            }
        ).action_connect()
        self.qbo_backend.action_activate()

    def rows(self, entity):
        return self.qbo.books.companies[REALM][entity]

    def stored(self, name):
        return self.env["sme.accounting.credential"]._read(self.qbo_backend, name)


class TestTokens(QuickBooksCase):
    def test_connecting_keeps_the_realm_and_tokens(self):
        self.assertEqual(self.qbo_backend.settings_ref.realm_id, REALM)
        self.assertIn(self.stored("refresh_token"), self.qbo.oauth.refresh)

    def test_the_rotated_refresh_token_is_the_one_kept(self):
        first = self.stored("refresh_token")
        self.qbo.oauth.expire_all_access_tokens()
        self.qbo_backend.action_test_connection()
        newest = self.stored("refresh_token")
        self.assertNotEqual(newest, first)
        self.assertEqual(
            set(self.qbo.oauth.refresh),
            {newest},
            "the old one is dead; Odoo holds the live one",
        )
        self.qbo.oauth.expire_all_access_tokens()
        self.qbo_backend.action_test_connection()  # and it works for the next refresh
        self.assertEqual(self.qbo.oauth.refresh_calls, 2)

    def test_revoked_consent_puts_the_connection_in_error(self):
        self.qbo.oauth.revoke_all()
        self.qbo_backend._enqueue_pulls(["customers"])
        with self.assertRaises(FailedJobError):
            self.run_everything()
        self.assertEqual(self.qbo_backend.state, "error")
        self.assertIn("reconnect", self.qbo_backend.last_error)


class TestSync(QuickBooksCase):
    def test_customers_one_per_phone_across_tally_and_quickbooks(self):
        (self.backend | self.qbo_backend)._enqueue_pulls(["customers"])
        self.run_everything()
        gupta = self.Partner.search(
            [
                ("company_id", "=", self.company_a.id),
                ("sme_phone_normalized", "=", "+919823011122"),
            ]
        )
        self.assertEqual(len(gupta), 1)
        self.assertEqual(
            self.env["sme.accounting.binding"]
            .search([("model", "=", "res.partner"), ("res_id", "=", gupta.id)])
            .mapped("backend_id"),
            self.backend | self.qbo_backend,
        )

    def test_invoice_validated_lands_once_in_tally_and_quickbooks(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        gst18 = self.env["account.tax"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "group"),
                ("name", "ilike", "GST 18%"),
            ],
            limit=1,
        )
        invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(6, 0, gst18.ids)]})
        invoice.compute_taxes()
        invoice.action_invoice_open()
        self.run_everything()
        self.qbo_backend._enqueue_export(invoice)
        self.backend._enqueue_export(invoice)
        self.run_everything()
        booked = [
            r for r in self.rows("Invoice") if r.get("DocNumber") == invoice.number
        ]
        self.assertEqual(len(booked), 1)
        self.assertEqual(
            (booked[0]["TotalAmt"], booked[0]["CustomerRef"]["name"]),
            (invoice.amount_total, "Meera Iyer"),
        )
        self.assertEqual(
            len(
                [
                    v
                    for v in self.tally_vouchers()
                    if v.get("VOUCHERNUMBER") == invoice.number
                ]
            ),
            1,
        )

    def test_chart_of_accounts_keeps_quickbooks_codes_and_types(self):
        self.qbo_backend.sync_accounts = True
        self.qbo_backend._enqueue_pulls(["accounts"])
        self.run_everything()
        bound = self.env["sme.accounting.binding"].search(
            [
                ("backend_id", "=", self.qbo_backend.id),
                ("model", "=", "account.account"),
            ]
        )
        names = {b.external_name: b.record() for b in bound}
        self.assertNotIn(
            "Accounts Receivable (A/R)",
            names,
            "receivables are the customers' own accounts",
        )
        income = names["Sales of Product Income"]
        self.assertEqual(
            income.user_type_id, self.env.ref("account.data_account_type_revenue")
        )
        self.assertEqual(
            names["Capital"].user_type_id,
            self.env.ref("account.data_account_type_equity"),
        )

    def test_payment_and_credit_note_follow_the_invoice(self):
        self.backend.action_pause()  # QuickBooks alone here
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        invoice.action_invoice_open()
        self.run_everything()
        self.pay(invoice)
        refund = self.make_invoice(200, partner_id=customer.id, type="out_refund")
        refund.action_invoice_open()
        self.run_everything()
        booked = [
            r for r in self.rows("Invoice") if r.get("DocNumber") == invoice.number
        ][0]
        [payment] = [
            r
            for r in self.rows("Payment")
            if r.get("CustomerRef", {}).get("name") == "Meera Iyer"
        ]
        self.assertEqual(
            payment["Line"][0]["LinkedTxn"],
            [{"TxnId": booked["Id"], "TxnType": "Invoice"}],
        )
        self.assertEqual((payment["TotalAmt"], booked["Balance"]), (1000.0, 0.0))
        [memo] = [
            r for r in self.rows("CreditMemo") if r.get("DocNumber") == refund.number
        ]
        self.assertEqual(memo["TotalAmt"], 200.0)

    def test_quickbooks_invoice_comes_in(self):
        self.qbo_backend._enqueue_pulls(["invoices"])
        self.run_everything()
        invoice = self.env["account.invoice"].search(
            [("reference", "=", "1001"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            (invoice.state, invoice.amount_total, invoice.partner_id.name),
            ("open", 2100.0, "Rathi Textiles"),
        )


class TestStaleSyncToken(QuickBooksCase):
    def setUp(self):
        super(TestStaleSyncToken, self).setUp()
        self.backend.action_pause()  # QuickBooks alone here
        self.qbo_backend._enqueue_pulls(["customers"])
        self.run_everything()
        self.gupta = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Gupta Electricals")]
        )
        self.remote = self.qbo.books.find(REALM, "Customer", "58")

    def edit_both_sides(self):
        self.qbo.books.touch(
            self.remote, PrimaryEmailAddr={"Address": "qb@gupta.example.in"}
        )
        self.gupta.write({"email": "odoo@gupta.example.in"})
        self.run_everything()

    def test_manual_parks_a_conflict(self):
        self.qbo_backend.conflict_policy = "manual"
        self.edit_both_sides()
        conflict = self.env["sme.accounting.conflict"].search(
            [("backend_id", "=", self.qbo_backend.id)]
        )
        self.assertEqual(len(conflict), 1)
        self.assertEqual(
            self.remote["PrimaryEmailAddr"]["Address"],
            "qb@gupta.example.in",
            "nothing overwritten",
        )

    def test_platform_wins_refetches_and_sends_odoos(self):
        self.qbo_backend.conflict_policy = "platform_wins"
        self.edit_both_sides()
        self.assertEqual(
            self.remote["PrimaryEmailAddr"]["Address"], "odoo@gupta.example.in"
        )

    def test_accounting_wins_takes_quickbooks(self):
        self.qbo_backend.conflict_policy = "accounting_wins"
        self.edit_both_sides()
        self.assertEqual(self.gupta.email, "qb@gupta.example.in")
        self.assertEqual(
            self.remote["PrimaryEmailAddr"]["Address"], "qb@gupta.example.in"
        )


class TestPaymentsIn(QuickBooksCase):
    """Payments a QuickBooks user records (through the API, as the
    QuickBooks app does) against invoices the hub imported."""

    def setUp(self):
        super(TestPaymentsIn, self).setUp()
        self.backend.action_pause()  # QuickBooks alone here
        self._user_token = None
        self.assertEqual(
            self.pull("customers", "invoices")[1],
            "pull invoices: 1 created, 0 updated, 0 skipped, 0 failed",
        )
        self.invoice = self.odoo_invoice("1001")

    def qbo_api(self, entity, body):
        if not self._user_token:  # the user's own session: a consent code, exchanged
            code = requests.post(
                self.qbo_url + "_sandbox/code", json={"redirect_uri": "http://user"}
            ).json()["code"]
            self._user_token = requests.post(
                self.qbo_url + "oauth2/v1/tokens/bearer",
                timeout=5,
                auth=DEMO_CLIENT,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": "http://user",
                },
            ).json()["access_token"]
        answer = requests.post(
            self.qbo_url + "v3/company/%s/%s" % (REALM, entity.lower()),
            json=body,
            timeout=5,
            headers={
                "Authorization": "Bearer %s" % self._user_token,
                "Accept": "application/json",
            },
        )
        self.assertEqual(answer.status_code, 200, answer.text)
        return answer.json()[entity]

    def pull(self, *entities):
        self.qbo_backend._enqueue_pulls(list(entities))
        return [self.run_job(queued) for queued in self.queued(self.qbo_backend)]

    def odoo_invoice(self, number):
        [invoice] = self.env["account.invoice"].search(
            [("company_id", "=", self.company_a.id), ("reference", "=", number)]
        )
        return invoice

    def receive(self, total, *applied):
        """A payment of Rathi Textiles applied to (invoice Id, amount) pairs."""
        return self.qbo_api(
            "Payment",
            {
                "CustomerRef": {"value": "59"},
                "TotalAmt": total,
                "TxnDate": "2026-01-25",
                "Line": [
                    {
                        "Amount": share,
                        "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}],
                    }
                    for invoice_id, share in applied
                ],
            },
        )

    def failures(self):
        logs = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.qbo_backend.id)]
        )
        return [
            line.reason for line in logs.mapped("line_ids") if line.level == "error"
        ]

    def test_a_partial_payment_then_the_rest(self):
        self.receive(1000.0, ("130", 1000.0))
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual((self.invoice.state, self.invoice.residual), ("open", 1100.0))
        self.receive(1100.0, ("130", 1100.0))
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual((self.invoice.state, self.invoice.residual), ("paid", 0.0))
        self.assertEqual(self.failures(), [])
        # The same payments read again: nothing twice.
        self.env["sme.accounting.cursor"]._set(
            self.qbo_backend, "payments", position=None
        )
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 0 created, 0 updated, 2 skipped, 0 failed"],
        )

    def test_a_payment_of_two_invoices_gives_each_its_share(self):
        second = self.qbo_api(
            "Invoice",
            {
                "CustomerRef": {"value": "59"},
                "DocNumber": "1002",
                "TxnDate": "2026-01-22",
                "Line": [
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": 1000.0,
                        "Description": "Yarn",
                        "SalesItemLineDetail": {
                            "ItemRef": {"value": "1"},
                            "Qty": 1,
                            "UnitPrice": 1000.0,
                            "TaxCodeRef": {"value": "11"},
                        },
                    }
                ],
            },
        )
        self.assertEqual(
            self.pull("invoices"),
            ["pull invoices: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        odoo_second = self.odoo_invoice("1002")
        self.assertEqual(odoo_second.amount_total, 1050.0)
        self.receive(2000.0, ("130", 1500.0), (second["Id"], 500.0))
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual((self.invoice.state, self.invoice.residual), ("open", 600.0))
        self.assertEqual((odoo_second.state, odoo_second.residual), ("open", 550.0))
        self.assertEqual(self.failures(), [])
