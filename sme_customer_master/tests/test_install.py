# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import common
from odoo.tools.safe_eval import safe_eval


class TestInstall(common.TransactionCase):
    """The addon is installed and its menus, actions and access load."""

    def test_module_installed(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "sme_customer_master")]
        )
        self.assertEqual(module.state, "installed")

    def test_sme_hub_menu_visible_to_admin_with_customers_submenu(self):
        menus = self.env["ir.ui.menu"].load_menus(debug=False)
        root = self.env.ref("sme_customer_master.sme_hub_menu_root")
        hubs = [m for m in menus["children"] if m["id"] == root.id]
        self.assertEqual(len(hubs), 1, "SME Hub is not a top-level menu of the admin")
        hub = hubs[0]
        self.assertIn("Customers", [m["name"] for m in hub["children"]])

    def test_customer_action_opens_customers_only(self):
        action = self.env.ref("sme_customer_master.res_partner_customer_action")
        self.assertEqual(action.res_model, "res.partner")
        customer = self.env["res.partner"].create(
            {"name": "Asha Rao", "customer": True}
        )
        vendor = self.env["res.partner"].create(
            {"name": "Vendor Co", "customer": False, "supplier": True}
        )
        found = self.env["res.partner"].search(safe_eval(action.domain))
        self.assertIn(customer, found)
        self.assertNotIn(vendor, found)

    def test_sme_hub_category_exists(self):
        category = self.env.ref("sme_customer_master.module_category_sme_hub")
        self.assertEqual(category.name, "SME Hub")
