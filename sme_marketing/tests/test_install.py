# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import common


class TestInstall(common.TransactionCase):
    """The addon is installed and its menu, action and groups load."""

    def test_marketing_menu_under_sme_hub(self):
        menu = self.env.ref("sme_marketing.sme_marketing_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("sme_customer_master.sme_hub_menu_root")
        )
        visible = self.env["ir.ui.menu"]._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(
            self.env.ref("sme_marketing.sme_customer_health_menu").id, visible
        )

    def test_menu_hidden_from_users_without_marketing_group(self):
        user = self.env["res.users"].create(
            {
                "name": "Plain User",
                "login": "plain_user_mk",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        visible = self.env["ir.ui.menu"].sudo(user)._visible_menu_ids()
        self.assertNotIn(self.env.ref("sme_marketing.sme_marketing_menu").id, visible)

    def test_manager_implies_user(self):
        manager = self.env.ref("sme_marketing.group_sme_marketing_manager")
        self.assertIn(
            self.env.ref("sme_marketing.group_sme_marketing_user"),
            manager.trans_implied_ids,
        )
        self.assertIn(self.env.ref("base.user_root"), manager.users)
