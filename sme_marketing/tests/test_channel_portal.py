# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A channel partner's portal pages over real HTTP: partner A's portal user
sees A's customers, their invoices' payment state and A's commissions and
settlements, and gets a 404 for B's customer or settlement."""
from odoo.tests import common

from .test_banners import OdooHttpCase


class TestChannelPortal(OdooHttpCase):
    def setUp(self):
        super(TestChannelPortal, self).setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=True))
        self.company = self.env.ref("base.main_company")
        self.commission = self.env["sale.commission"].create(
            {"name": "5% on payment", "fix_qty": 5.0, "invoice_state": "paid"}
        )
        self.agent_a = self.agent("Portal Partner A")
        self.agent_b = self.agent("Portal Partner B")
        self.user_a = self.portal_user("sme_portal_a", self.agent_a)
        self.portal_user("sme_portal_b", self.agent_b)
        self.customer_a = self.customer("Asha Portal", "9811100001", self.agent_a)
        self.customer_b = self.customer("Bala Portal", "9811100002", self.agent_b)
        self.paid_a = self.invoice(self.customer_a, 1000.0, pay=1000.0)
        self.partial_a = self.invoice(self.customer_a, 400.0, pay=100.0)
        self.invoice_b = self.invoice(self.customer_b, 800.0, pay=800.0)
        settle = self.env["sale.commission.settlement"].sme_run_monthly_settlement
        settle("2026-01-15", self.company.id)
        Settlement = self.env["sale.commission.settlement"]
        self.settlement_a = Settlement.search([("agent", "=", self.agent_a.id)])
        self.settlement_b = Settlement.search([("agent", "=", self.agent_b.id)])
        self.assertTrue(self.settlement_a and self.settlement_b)

    def agent(self, name):
        return self.env["res.partner"].create(
            {
                "name": name,
                "company_id": self.company.id,
                "is_company": True,
                "agent": True,
                "supplier": True,
                "customer": False,
                "commission": self.commission.id,
            }
        )

    def portal_user(self, login, partner):
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": partner.name + " user",
                    "login": login,
                    "password": login + "_pw",
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "company_ids": [(6, 0, self.company.ids)],
                    "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
                }
            )
        )

    def customer(self, name, phone, agent):
        result = self.env["res.partner"].sme_upsert_customer(
            {"name": name, "phone": phone}, self.company.id
        )
        customer = self.env["res.partner"].browse(result["id"])
        customer.sme_channel_partner_id = agent
        return customer

    def invoice(self, customer, amount, pay):
        account = self.env["account.account"].search(
            [
                ("company_id", "=", self.company.id),
                (
                    "user_type_id",
                    "=",
                    self.env.ref("account.data_account_type_revenue").id,
                ),
            ],
            limit=1,
        )
        invoice = self.env["account.invoice"].create(
            {
                "partner_id": customer.id,
                "type": "out_invoice",
                "company_id": self.company.id,
                "date_invoice": "2026-01-05",
                "date_due": "2026-01-05",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Copper wire",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": account.id,
                        },
                    )
                ],
            }
        )
        invoice.action_invoice_open()
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "in", ("bank", "cash"))],
            limit=1,
        )
        self.env["account.payment"].create(
            {
                "invoice_ids": [(4, invoice.id)],
                "amount": pay,
                "payment_date": "2026-01-06",
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": customer.id,
                "journal_id": journal.id,
                "payment_method_id": self.env.ref(
                    "account.account_payment_method_manual_in"
                ).id,
            }
        ).post()
        return invoice

    def login(self, login):
        session = self.http(
            "POST",
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": common.get_db_name(),
                    "login": login,
                    "password": login + "_pw",
                },
            },
        )
        self.assertEqual(session.status_code, 200)
        self.assertTrue(session.json()["result"]["uid"])
        return session.cookies

    def test_partner_sees_its_own_data(self):
        cookies = self.login("sme_portal_a")
        home = self.http("GET", "/my/home", cookies=cookies)
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/channel"', home.text)
        page = self.http("GET", "/my/channel", cookies=cookies)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Asha Portal", page.text)
        self.assertIn(self.paid_a.number, page.text)
        self.assertIn(self.partial_a.number, page.text)
        self.assertIn("partial", page.text)
        self.assertIn("/my/channel/settlement/%d" % self.settlement_a.id, page.text)
        # Nothing of partner B.
        self.assertNotIn("Bala Portal", page.text)
        self.assertNotIn(self.invoice_b.number, page.text)
        customer = self.http(
            "GET", "/my/channel/customer/%d" % self.customer_a.id, cookies=cookies
        )
        self.assertEqual(customer.status_code, 200)
        self.assertIn(self.paid_a.number, customer.text)
        settlement = self.http(
            "GET", "/my/channel/settlement/%d" % self.settlement_a.id, cookies=cookies
        )
        self.assertEqual(settlement.status_code, 200)

    def test_other_partners_data_is_not_found(self):
        cookies = self.login("sme_portal_a")
        for path in (
            "/my/channel/customer/%d" % self.customer_b.id,
            "/my/channel/settlement/%d" % self.settlement_b.id,
            "/my/channel/customer/%d" % 999999999,
        ):
            response = self.http("GET", path, cookies=cookies)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn("Bala Portal", response.text)
        # Nor through the ORM: the portal user reads no commission records.
        response = self.http(
            "POST",
            "/web/dataset/call_kw",
            cookies=cookies,
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "sale.commission.settlement",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["total"]},
                },
            },
        )
        self.assertIn("error", response.json())

    def test_not_a_partner_and_anonymous(self):
        response = self.http("GET", "/my/channel")
        self.assertIn(response.status_code, (302, 303))  # to the login page
        customer_user = self.portal_user(
            "sme_portal_c", self.env["res.partner"].create({"name": "Plain Customer"})
        )
        self.assertTrue(customer_user)
        cookies = self.login("sme_portal_c")
        home = self.http("GET", "/my/home", cookies=cookies)
        self.assertEqual(home.status_code, 200)
        self.assertNotIn('href="/my/channel"', home.text)
        self.assertEqual(
            self.http("GET", "/my/channel", cookies=cookies).status_code, 404
        )
