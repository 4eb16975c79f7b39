# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import common


class TestInstall(common.TransactionCase):
    """The addon is installed and its menu, action and groups load."""

    def test_hub_menu_under_sme_hub(self):
        menu = self.env.ref("sme_accounting_hub.sme_accounting_hub_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("sme_customer_master.sme_hub_menu_root")
        )
        visible = self.env["ir.ui.menu"]._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_sync_jobs_action_shows_only_hub_channels(self):
        action = self.env.ref("sme_accounting_hub.queue_job_sync_action")
        self.assertEqual(action.res_model, "queue.job")
        self.assertIn("root.sme_accounting", action.domain)

    def test_manager_can_manage_jobs(self):
        manager = self.env.ref("sme_accounting_hub.group_sme_accounting_hub_manager")
        self.assertIn(
            self.env.ref("queue_job.group_queue_job_manager"), manager.trans_implied_ids
        )


class TestImportedCustomersHaveNoGeneratedAvatar(common.TransactionCase):
    def test_default_image_is_skipped_for_imports_only(self):
        import threading

        thread = threading.currentThread()
        saved = getattr(thread, "testing", False)
        thread.testing = (
            False  # Odoo itself skips avatars in tests: act as a real server
        )
        try:
            Partner = self.env["res.partner"]
            self.assertTrue(Partner._get_default_image("contact", False, False))
            self.assertFalse(
                Partner.with_context(sme_hub_importing=True)._get_default_image(
                    "contact", False, False
                )
            )
        finally:
            thread.testing = saved
