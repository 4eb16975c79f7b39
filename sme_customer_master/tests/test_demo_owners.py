# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo's owners: one login per company, not the superuser, so record
rules separate the companies; they land on the customers. The test
database has no demo data: the demo files are loaded here, in the test's
transaction, as the demo database loads them."""
from odoo import SUPERUSER_ID
from odoo.modules.module import get_module_resource
from odoo.tools import convert_file

from .common import CustomerMasterCase

MODULE = "sme_customer_master"
DEMO_FILES = ("demo/res_company_demo.xml", "demo/res_users_demo.xml")


class TestDemoOwners(CustomerMasterCase):
    @classmethod
    def setUpClass(cls):
        super(TestDemoOwners, cls).setUpClass()
        # An Odoo demo customer (as base's Agrolait) to be archived by the demo.
        cls.agrolait = cls.Partner.create(
            {
                "name": "Agrolait",
                "customer": True,
                "is_company": True,
                "phone": "+32 10 588 999",
            }
        )
        cls.env["ir.model.data"].create(
            {
                "module": "base",
                "name": "sme_test_agrolait",
                "model": "res.partner",
                "res_id": cls.agrolait.id,
            }
        )
        # A user made before the customer master, whose partner is a customer
        # (as the demo portal user of Odoo's demo data).
        cls.portal = cls._make_user("portal_demo", cls.company_a)
        cls.portal.partner_id.customer = True
        if not cls.env.ref(MODULE + ".res_users_sharma_demo", raise_if_not_found=False):
            for path in DEMO_FILES:
                convert_file(
                    cls.env.cr,
                    MODULE,
                    path,
                    {},
                    mode="init",
                    noupdate=True,
                    kind="demo",
                    pathname=get_module_resource(MODULE, *path.split("/")),
                )
        else:  # a database with the demo: archive the customer made above
            cls.Partner._sme_demo_archive_odoo_customers()
        cls.sharma = cls.env.ref(MODULE + ".res_users_sharma_demo")
        cls.kiran = cls.env.ref(MODULE + ".res_users_kiran_demo")
        cls.sharma_traders = cls.env.ref("base.main_company")
        cls.kiran_electricals = cls.env.ref(MODULE + ".res_company_kiran_demo")

    @classmethod
    def tearDownClass(cls):
        # The xml ids loaded above are rolled back: forget them.
        cls.env["ir.model.data"].clear_caches()
        super(TestDemoOwners, cls).tearDownClass()

    def test_owners_log_in_with_their_name_and_are_not_superuser(self):
        for user, login in ((self.sharma, "sharma"), (self.kiran, "kiran")):
            self.assertEqual(user.login, login)
            self.assertNotEqual(user.id, SUPERUSER_ID)
            self.assertFalse(user._is_superuser())
            self.env["res.users"].sudo(user).check_credentials(login)  # raises if wrong

    def test_owners_have_the_groups_an_owner_needs(self):
        for user in self.sharma | self.kiran:
            for group in (
                "account.group_account_manager",
                "account.group_account_invoice",
                MODULE + ".group_sme_customer_master_manager",
                "base.group_partner_manager",
            ):
                self.assertTrue(
                    user.has_group(group), "%s lacks %s" % (user.login, group)
                )
            self.assertFalse(user.has_group("base.group_system"))

    def test_one_company_each_landing_on_customers(self):
        self.assertEqual(self.sharma.company_ids, self.sharma_traders)
        self.assertEqual(self.kiran.company_ids, self.kiran_electricals)
        customers = self.env.ref(MODULE + ".res_partner_customer_action")
        self.assertEqual(self.sharma.action_id.id, customers.id)
        self.assertEqual(self.kiran.action_id.id, customers.id)

    def test_each_owner_sees_only_its_companys_customers(self):
        asha_pune = self.customer("Asha Rao", "9876543210", company=self.sharma_traders)
        asha_blr = self.customer(
            "Asha Rao", "9876543210", company=self.kiran_electricals
        )
        domain = [("customer", "=", True), ("parent_id", "=", False)]
        for user, own, other in (
            (self.sharma, asha_pune, asha_blr),
            (self.kiran, asha_blr, asha_pune),
        ):
            seen = self.Partner.sudo(user).search(domain)
            self.assertIn(own, seen)
            self.assertNotIn(other, seen)
            self.assertEqual(
                [pid for pid, _name in self.Partner.sudo(user).name_search("Asha Rao")],
                [own.id],
                "invoices offer one Asha Rao",
            )

    def test_odoo_demo_customers_and_users_leave_the_customers_without_events(self):
        self.assertFalse(self.agrolait.active)
        self.assertFalse(
            self.env["sme.customer.event"].search(
                [
                    ("partner_id", "=", self.agrolait.id),
                    ("event", "=", "on_sme_customer_archived"),
                ]
            )
        )
        for user in self.sharma | self.kiran | self.portal:
            self.assertTrue(user.partner_id.active)
            self.assertFalse(user.partner_id.customer, user.login)
