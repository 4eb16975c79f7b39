# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer groups: the discount's checks, a percentage on the lines of a
member's new invoices, a fixed amount as one line when the invoice is
validated (capped at its total, never twice), contacts sharing their
company's group, invoices carrying UTM fields, and the record rules between
two companies."""
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class TestCustomerGroups(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(TestCustomerGroups, cls).setUpClass()
        cls.Group = cls.env["sme.customer.group"]
        cls.wholesale = cls.Group.create(
            {
                "name": "Wholesale",
                "company_id": cls.company_a.id,
                "discount_type": "percent",
                "amount": 10.0,
            }
        )
        cls.contractors = cls.Group.create(
            {
                "name": "Contractors",
                "company_id": cls.company_a.id,
                "discount_type": "fixed",
                "amount": 300.0,
            }
        )
        cls.theirs = cls.Group.create(
            {"name": "Builders", "company_id": cls.company_b.id, "amount": 3.0}
        )
        cls.ravi = cls.customer("Ravi Kumar", "9822012345")
        cls.asha = cls.customer("Asha Rao", "9876543210")

    @classmethod
    def customer(cls, name, phone, company=None):
        return cls.Partner.browse(
            cls.Partner.sme_upsert_customer(
                {"name": name, "phone": phone}, (company or cls.company_a).id
            )["id"]
        )

    def line(self, amount, **values):
        values.update(
            name=values.get("name", "Copper wire"),
            quantity=1,
            price_unit=amount,
            account_id=self._income_account(self.company_a).id,
        )
        return (0, 0, values)

    def test_amount_checks(self):
        refused = (("percent", 100.5), ("percent", -1), ("fixed", -0.01))
        for number, (discount_type, amount) in enumerate(refused):
            with self.assertRaisesRegex(ValidationError, "customer group Odd"):
                self.Group.create(
                    {
                        "name": "Odd %d" % number,
                        "discount_type": discount_type,
                        "amount": amount,
                    }
                )
        for discount_type, amount in (("percent", 0), ("percent", 100), ("fixed", 0)):
            self.Group.create(
                {
                    "name": "Fine %s %s" % (discount_type, amount),
                    "discount_type": discount_type,
                    "amount": amount,
                }
            )
        group = self.Group.create({"name": "Default"})
        self.assertEqual(
            (group.discount_type, group.amount, group.company_id),
            ("percent", 0.0, self.env.user.company_id),
        )

    def test_percent_on_the_lines_without_a_discount(self):
        self.ravi.sme_customer_group_id = self.wholesale
        invoice = self.make_invoice(
            0,
            partner_id=self.ravi.id,
            invoice_line_ids=[
                self.line(1000.0),
                self.line(500.0, name="Switches", discount=5.0),
            ],
        )
        self.assertEqual(invoice.invoice_line_ids.mapped("discount"), [10.0, 5.0])
        # A line added later to the draft gets it too.
        invoice.write({"invoice_line_ids": [self.line(200.0, name="Tape")]})
        self.assertEqual(invoice.invoice_line_ids[-1].discount, 10.0)
        invoice.sudo(self.user_a).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        self.assertAlmostEqual(invoice.amount_total, 900.0 + 475.0 + 180.0)
        self.assertFalse(invoice.invoice_line_ids.filtered("sme_group_discount"))
        # A customer of no group pays the full price.
        plain = self.make_invoice(1000.0, partner_id=self.asha.id)
        self.assertEqual(plain.invoice_line_ids.discount, 0.0)

    def test_fixed_amount_once_when_validated(self):
        self.ravi.sme_customer_group_id = self.contractors
        invoice = self.make_invoice(1000.0, partner_id=self.ravi.id)
        self.assertEqual(invoice.invoice_line_ids.discount, 0.0)
        self.assertAlmostEqual(invoice.amount_total, 1000.0)  # not before validation
        invoice.sudo(self.user_a).action_invoice_open()
        self.assertEqual(invoice.state, "open")
        discount = invoice.invoice_line_ids.filtered("sme_group_discount")
        self.assertEqual(
            (discount.name, discount.quantity, discount.price_unit),
            ("Customer group discount: Contractors", 1.0, -300.0),
        )
        self.assertEqual(discount.account_id, self._income_account(self.company_a))
        self.assertAlmostEqual(invoice.amount_total, 700.0)
        self.assertAlmostEqual(invoice.residual, 700.0)
        # Asked again (a second validation attempt): still one discount.
        invoice._sme_add_group_discount()
        invoice.sudo(self.user_a).action_invoice_open()
        self.assertEqual(len(invoice.invoice_line_ids), 2)
        self.assertAlmostEqual(invoice.amount_total, 700.0)
        draft = self.make_invoice(1000.0, partner_id=self.ravi.id)
        draft._sme_add_group_discount()
        draft._sme_add_group_discount()
        draft.action_invoice_open()
        self.assertEqual(len(draft.invoice_line_ids), 2)
        self.assertAlmostEqual(draft.amount_total, 700.0)

    def test_fixed_amount_never_more_than_the_total(self):
        self.ravi.sme_customer_group_id = self.contractors
        self.contractors.amount = 5000.0
        invoice = self.make_invoice(1200.0, partner_id=self.ravi.id)
        invoice.action_invoice_open()
        discount = invoice.invoice_line_ids.filtered("sme_group_discount")
        self.assertAlmostEqual(discount.price_unit, -1200.0)
        self.assertAlmostEqual(invoice.amount_total, 0.0)
        self.assertIn(invoice.state, ("open", "paid"))

    def test_not_on_refunds_nor_for_other_companies_groups(self):
        self.ravi.sme_customer_group_id = self.wholesale
        refund = self.make_invoice(1000.0, partner_id=self.ravi.id, type="out_refund")
        self.assertEqual(refund.invoice_line_ids.discount, 0.0)
        # An archived group gives nothing any more.
        self.wholesale.active = False
        invoice = self.make_invoice(1000.0, partner_id=self.ravi.id)
        self.assertEqual(invoice.invoice_line_ids.discount, 0.0)

    def test_group_of_the_customers_company_only(self):
        with self.assertRaisesRegex(ValidationError, "belongs to Test Traders B"):
            self.ravi.sme_customer_group_id = self.theirs
        with self.assertRaisesRegex(ValidationError, "has members of another company"):
            self.ravi.sme_customer_group_id = self.wholesale
            self.wholesale.company_id = self.company_b

    def test_contacts_share_their_company_group_and_counts(self):
        patil = self.customer("Patil Hardware", "02025531122")
        patil.is_company = True
        buyer = self.Partner.create(
            {
                "name": "Suresh Patil",
                "parent_id": patil.id,
                "company_id": self.company_a.id,
            }
        )
        patil.sme_customer_group_id = self.contractors
        self.assertEqual(buyer.sme_customer_group_id, self.contractors)
        self.ravi.sme_customer_group_id = self.contractors
        self.contractors.invalidate_cache()
        self.assertEqual(self.contractors.customer_count, 2)  # contacts not counted
        action = self.contractors.action_view_customers()
        self.assertEqual(
            set(self.Partner.search(action["domain"]).ids), {patil.id, self.ravi.id}
        )
        # The fixed discount of the company's group on an invoice to its contact.
        invoice = self.make_invoice(1000.0, partner_id=buyer.id)
        invoice.action_invoice_open()
        self.assertAlmostEqual(invoice.amount_total, 700.0)

    def test_invoices_carry_utm_fields(self):
        campaign = self.env["utm.campaign"].create({"name": "Diwali"})
        invoice = self.make_invoice(
            1000.0, partner_id=self.asha.id, campaign_id=campaign.id
        )
        self.assertEqual(invoice.campaign_id, campaign)
        self.assertEqual(
            self.env["account.invoice"].search([("campaign_id", "=", campaign.id)]),
            invoice,
        )

    def test_record_rules_between_companies(self):
        shared = self.Group.create({"name": "Everyone", "company_id": False})
        mine = self.Group.sudo(self.user_a).search([])
        self.assertIn(self.wholesale, mine)
        self.assertIn(shared, mine)
        self.assertNotIn(self.theirs, mine)
        self.assertEqual(
            self.Group.sudo(self.user_b).search([]) & (self.wholesale | self.theirs),
            self.theirs,
        )
        with self.assertRaises(AccessError):
            self.theirs.sudo(self.user_a).read(["name"])
        # Managing groups is for marketing managers.
        with self.assertRaises(AccessError):
            self.Group.sudo(self.user_a).create({"name": "Mine"})
        manager = self._make_user(
            "mkt_manager_a",
            self.company_a,
            self.env.ref("sme_marketing.group_sme_marketing_manager"),
        )
        group = self.Group.sudo(manager).create({"name": "VIP", "amount": 2.0})
        self.assertEqual(group.company_id, self.company_a)
        with self.assertRaises(AccessError):
            self.theirs.sudo(manager).write({"amount": 50.0})
