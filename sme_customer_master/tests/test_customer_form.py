# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the customer form and lists tell as the user works: a phone
already taken (while typing), a placeholder name, the company column and
the customers new this week."""
import datetime

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tools.safe_eval import safe_eval

from .common import CustomerMasterCase


class TestPhoneTakenWarning(CustomerMasterCase):
    def _form(self, user=None, **values):
        values.setdefault("customer", True)
        values.setdefault("company_id", self.company_a.id)
        return self.Partner.sudo(user or self.user_a).new(values)

    def test_typing_a_taken_phone_names_its_customer(self):
        self.customer("Asha Rao", "9876543210")
        result = self._form(
            name="Asha R", phone="098765 43210"
        )._onchange_sme_phone_taken()
        self.assertEqual(result["warning"]["title"], "Phone already taken")
        self.assertIn("'Asha Rao'", result["warning"]["message"])

    def test_a_mobile_that_is_another_customers_phone_warns(self):
        self.customer("Asha Rao", "9876543210")
        result = self._form(
            name="Ravi", phone="9822012345", mobile="+91 98765 43210"
        )._onchange_sme_phone_taken()
        self.assertIn("mobile", result["warning"]["message"])
        self.assertIn("'Asha Rao'", result["warning"]["message"])

    def test_archived_customer_is_named_as_archived(self):
        self.customer("Asha Rao", "9876543210").active = False
        result = self._form(phone="9876543210")._onchange_sme_phone_taken()
        self.assertIn("(archived)", result["warning"]["message"])

    def test_no_warning_for_a_free_phone_own_phone_or_other_company(self):
        asha = self.customer("Asha Rao", "9876543210")
        self.customer("Nandi Builders", "9822012345", company=self.company_b)
        self.assertFalse(self._form(phone="9822012345")._onchange_sme_phone_taken())
        self.assertFalse(
            self._form(phone="12")._onchange_sme_phone_taken(), "not a phone yet"
        )
        editing = self._form(name="Asha Rao", phone="+919876543210")
        editing._origin = asha.sudo(self.user_a)  # as Odoo's onchange() attaches it
        self.assertFalse(editing._onchange_sme_phone_taken())

    def test_no_warning_about_a_company_the_user_does_not_work_in(self):
        self.customer("Nandi Builders", "9822012345", company=self.company_b)
        form = self._form(phone="9822012345", company_id=self.company_b.id)
        self.assertFalse(form._onchange_sme_phone_taken())


class TestPlaceholderNote(CustomerMasterCase):
    def test_short_name_shows_the_placeholder_note(self):
        short = self.customer("A", "9876543210")
        self.assertEqual(short.name, self.company_a.sme_customer_placeholder_name)
        self.assertTrue(short.sme_name_is_placeholder)
        self.assertFalse(
            self.customer("Asha Rao", "9822012345").sme_name_is_placeholder
        )

    def test_form_has_the_note(self):
        arch = self.Partner.fields_view_get(
            view_id=self.env.ref("base.view_partner_form").id, view_type="form"
        )["arch"]
        notes = etree.fromstring(arch).xpath(
            "//div[contains(@modifiers, 'sme_name_is_placeholder')]"
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("placeholder name", "".join(notes[0].itertext()))


class TestCustomerLists(CustomerMasterCase):
    def _company_column_shown(self, user):
        arch = self.Partner.sudo(user).fields_view_get(
            view_id=self.env.ref("base.view_partner_tree").id, view_type="tree"
        )["arch"]
        columns = etree.fromstring(arch).xpath("//field[@name='company_id']")
        # Odoo 11 keeps a column of a group the user lacks, made invisible.
        return len(columns) == 1 and columns[0].get("invisible") != "1"

    def test_company_column_for_users_of_several_companies(self):
        self.assertFalse(self._company_column_shown(self.user_a))
        self.user_a.write(
            {
                "company_ids": [(4, self.company_b.id)],
                "groups_id": [(4, self.env.ref("base.group_multi_company").id)],
            }
        )
        self.assertTrue(self._company_column_shown(self.user_a))

    def _new_this_week_domain(self, today):
        arch = self.Partner.fields_view_get(
            view_id=self.env.ref("base.view_res_partner_filter").id, view_type="search"
        )["arch"]
        node = etree.fromstring(arch).xpath("//filter[@name='sme_new_this_week']")[0]
        self.assertEqual(node.get("string"), "New this week")
        return safe_eval(
            node.get("domain"),
            {"context_today": lambda: today, "relativedelta": relativedelta},
        )

    def test_new_this_week_starts_on_monday(self):
        for today in (
            "2026-11-23",
            "2026-11-26",
            "2026-11-29",
        ):  # Monday, Thursday, Sunday
            day = datetime.datetime.strptime(today, "%Y-%m-%d").date()
            self.assertEqual(
                self._new_this_week_domain(day),
                [("create_date", ">=", "2026-11-23")],
                today,
            )

    def test_new_this_week_finds_new_customers(self):
        asha = self.customer("Asha Rao", "9876543210")
        domain = self._new_this_week_domain(datetime.date.today())
        self.assertIn(asha, self.Partner.search(domain))

    def test_new_this_week_has_its_menu(self):
        action = self.env.ref("sme_customer_master.res_partner_customer_new_action")
        self.assertEqual(
            safe_eval(action.context).get("search_default_sme_new_this_week"), 1
        )
        menu = self.env.ref("sme_customer_master.res_partner_customer_new_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("sme_customer_master.sme_customer_master_menu")
        )
