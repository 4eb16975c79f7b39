# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Leads and pipeline on crm: the seed's statuses on the stages, lost only
with a reason, a lead's customer through the customer master (one phone,
one customer), a won opportunity's event and draft invoice (once, with its
campaign, off per company), and lead intake with its refusals."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.sme_customer_master.tests.common import InvoiceCase, listening

from ..models.crm_lead import LeadTakenConcurrently

WON = "on_sme_opportunity_won"


class LeadCase(InvoiceCase):
    """Companies A and B with charts of accounts, a salesperson in each,
    a UTM campaign, source and medium."""

    @classmethod
    def setUpClass(cls):
        super(LeadCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, sme_today="2026-10-01"))
        salesman = cls.env.ref("sales_team.group_sale_salesman")
        cls.seller_a = cls._make_user("seller_a", cls.company_a, salesman)
        cls.seller_b = cls._make_user("seller_b", cls.company_b, salesman)
        cls.Lead = cls.env["crm.lead"]
        cls.utm_campaign = cls.env["utm.campaign"].create({"name": "Monsoon offer"})
        cls.utm_source = cls.env["utm.source"].create({"name": "Newspaper ad"})
        cls.utm_medium = cls.env["utm.medium"].create({"name": "Print"})
        cls.new = cls.env.ref("crm.stage_lead1")
        cls.contacted = cls.env.ref("sme_marketing.crm_stage_contacted")
        cls.qualified = cls.env.ref("crm.stage_lead2")
        cls.proposition = cls.env.ref("crm.stage_lead3")
        cls.won = cls.env.ref("crm.stage_lead4")
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Too expensive"})

    def lead(self, name="Copper wire for a site", company=None, **values):
        values.setdefault("type", "opportunity")
        values.setdefault("stage_id", self.new.id)
        values["company_id"] = (company or self.company_a).id
        values["name"] = name
        return self.Lead.create(values)

    def customers_with_phone(self, e164, company=None):
        return self.Partner.with_context(active_test=False).search(
            [
                ("sme_phone_normalized", "=", e164),
                ("company_id", "=", (company or self.company_a).id),
            ]
        )


class TestPipeline(LeadCase):
    def test_default_stages_carry_the_seed_statuses(self):
        self.assertEqual(
            [
                (stage.sme_lead_status, stage.probability)
                for stage in (
                    self.new,
                    self.contacted,
                    self.qualified,
                    self.proposition,
                    self.won,
                )
            ],
            [
                ("new", 10),
                ("contacted", 20),
                ("qualified", 30),
                ("qualified", 70),
                ("won", 100),
            ],
        )
        # Contacted comes between New and Qualified in the pipeline.
        stages = self.env["crm.stage"].search(
            [("id", "in", (self.new | self.contacted | self.qualified).ids)]
        )
        self.assertEqual(stages.mapped("name"), ["New", "Contacted", "Qualified"])

    def test_status_follows_the_stage(self):
        lead = self.lead()
        self.assertEqual(lead.sme_status, "new")
        lead.stage_id = self.contacted
        self.assertEqual(lead.sme_status, "contacted")
        lead.stage_id = self.proposition
        self.assertEqual((lead.sme_status, lead.probability), ("qualified", 70))
        self.assertEqual(
            self.Lead.search([("sme_status", "=", "qualified")]) & lead, lead
        )
        lead.write({"planned_revenue": 0.0})  # no amount, no invoice to make
        lead.action_set_won()
        self.assertEqual((lead.stage_id, lead.sme_status), (self.won, "won"))
        # Reopened: back to the stage's status.
        lead.stage_id = self.qualified
        self.assertEqual(lead.sme_status, "qualified")
        # A stage the users made takes the status they give it.
        demo = self.env["crm.stage"].create(
            {"name": "Demo given", "sme_lead_status": "contacted", "sequence": 2}
        )
        lead.stage_id = demo
        self.assertEqual(lead.sme_status, "contacted")
        demo.sme_lead_status = "qualified"
        self.assertEqual(lead.sme_status, "qualified")

    def test_lost_needs_a_reason(self):
        lead = self.lead()
        with self.assertRaisesRegex(UserError, "choose a lost reason"):
            lead.action_set_lost()
        self.assertTrue(lead.active)
        self.assertEqual(lead.sme_status, "new")
        self.assertTrue(self.env["crm.lead.lost"]._fields["lost_reason_id"].required)
        # Mark Lost: the dialog writes the reason, then loses the lead.
        self.env["crm.lead.lost"].with_context(active_ids=lead.ids).create(
            {"lost_reason_id": self.reason.id}
        ).action_lost_reason_apply()
        self.assertEqual(
            (lead.active, lead.probability, lead.lost_reason, lead.sme_status),
            (False, 0, self.reason, "lost"),
        )
        self.assertEqual(
            self.Lead.search([("sme_status", "=", "lost"), ("active", "=", False)])
            & lead,
            lead,
        )
        # Restored, it is in its stage again.
        lead.action_set_active()
        self.assertEqual(lead.sme_status, "new")
        # A lead that has a reason may be lost directly.
        other = self.lead("Switches", lost_reason=self.reason.id)
        other.action_set_lost()
        self.assertEqual(other.sme_status, "lost")

    def test_archived_is_not_lost(self):
        lead = self.lead()
        lead.stage_id = self.qualified
        lead.action_set_unactive()
        self.assertEqual(lead.sme_status, "qualified")


class TestLeadToCustomer(LeadCase):
    def test_same_phone_twice_gives_one_customer(self):
        first = self.lead(
            contact_name="Meera Iyer",
            phone="98220 55555",
            email_from="Meera Iyer <meera@example.in>",
            city="Pune",
        )
        partner_id = first.handle_partner_assignation("create")[first.id]
        meera = self.Partner.browse(partner_id)
        self.assertEqual(first.partner_id, meera)
        self.assertEqual(
            (meera.name, meera.sme_phone_normalized, meera.email, meera.city),
            ("Meera Iyer", "+919822055555", "meera@example.in", "Pune"),
        )
        self.assertTrue(meera.customer)
        self.assertEqual(meera.company_id, self.company_a)
        # The same phone spelled otherwise, another name: the same customer,
        # whose data stays hers.
        second = self.lead(
            "Switchboards", contact_name="M. Iyer", phone="+91 98220-55555"
        )
        second.handle_partner_assignation("create")
        self.assertEqual(second.partner_id, meera)
        self.assertEqual(meera.name, "Meera Iyer")
        self.assertEqual(len(self.customers_with_phone("+919822055555")), 1)
        # Another company's lead with that phone is another company's customer.
        theirs = self.lead("Cables", company=self.company_b, phone="9822055555")
        theirs.handle_partner_assignation("create")
        self.assertNotEqual(theirs.partner_id, meera)
        self.assertEqual(theirs.partner_id.company_id, self.company_b)

    def test_existing_customer_is_linked_and_only_completed(self):
        asha = self.customer("Asha Rao", "9876543210")
        asha.write({"active": False})
        lead = self.lead(
            partner_name="Asha Enterprises",
            phone="09876543210",
            email_from="asha@example.in",
            street="14 FC Road",
        )
        lead.handle_partner_assignation("create")
        self.assertEqual(lead.partner_id, asha)
        # Reactivated; what she lacked is filled in, her name is kept.
        self.assertEqual(
            (asha.active, asha.name, asha.email, asha.street),
            (True, "Asha Rao", "asha@example.in", "14 FC Road"),
        )
        self.assertEqual(len(self.customers_with_phone("+919876543210")), 1)

    def test_convert_wizard_proposes_the_customer_with_the_phone(self):
        asha = self.customer("Asha Rao", "9876543210")
        lead = self.lead(type="lead", contact_name="Asha", phone="98765 43210")
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
            .create({"name": "convert", "user_id": self.env.uid})
        )
        self.assertEqual((wizard.action, wizard.partner_id), ("exist", asha))
        wizard.action_apply()
        self.assertEqual((lead.type, lead.partner_id), ("opportunity", asha))
        # "Create a new customer" cannot make a second one either.
        other = self.lead(type="lead", contact_name="Asha R", phone="9876543210")
        self.env["crm.lead2opportunity.partner"].with_context(
            active_model="crm.lead", active_id=other.id, active_ids=other.ids
        ).create(
            {
                "name": "convert",
                "action": "create",
                "partner_id": False,
                "user_id": self.env.uid,
            }
        ).action_apply()
        self.assertEqual(other.partner_id, asha)
        self.assertEqual(len(self.customers_with_phone("+919876543210")), 1)

    def test_bad_phone_is_refused_in_words(self):
        lead = self.lead(contact_name="Ravi", phone="call me")
        with self.assertRaisesRegex(UserError, "not a valid phone number"):
            lead.handle_partner_assignation("create")
        self.assertFalse(lead.partner_id)

    def test_lead_without_phone_uses_odoo_creation(self):
        lead = self.lead(contact_name="Kiran Shah", email_from="kiran@example.in")
        lead.handle_partner_assignation("create")
        self.assertEqual(lead.partner_id.name, "Kiran Shah")
        self.assertFalse(lead.partner_id.sme_phone_normalized)


class TestWon(LeadCase):
    def opportunity(self, **values):
        values.setdefault("phone", "98220 77777")
        values.setdefault("contact_name", "Rohit Kulkarni")
        values.setdefault("planned_revenue", 25000.0)
        values.setdefault("campaign_id", self.utm_campaign.id)
        values.setdefault("source_id", self.utm_source.id)
        values.setdefault("medium_id", self.utm_medium.id)
        return self.lead("Rohit: wiring for 12 flats", **values)

    def test_won_makes_one_draft_invoice_and_an_event(self):
        lead = self.opportunity()
        with listening(self.env, WON) as received:
            lead.action_set_won()
        invoice = lead.sme_invoice_id
        self.assertTrue(invoice)
        self.assertEqual(
            (invoice.state, invoice.type, invoice.company_id, invoice.amount_total),
            ("draft", "out_invoice", self.company_a, 25000.0),
        )
        # The customer came through the master, by the lead's phone.
        self.assertEqual(invoice.partner_id, lead.partner_id)
        self.assertEqual(invoice.partner_id.sme_phone_normalized, "+919822077777")
        self.assertEqual(
            (invoice.campaign_id, invoice.source_id, invoice.medium_id),
            (self.utm_campaign, self.utm_source, self.utm_medium),
        )
        line = invoice.invoice_line_ids
        self.assertEqual(
            (line.name, line.quantity, line.price_unit),
            ("Rohit: wiring for 12 flats", 1.0, 25000.0),
        )
        self.assertEqual(
            line.account_id,
            self.env["account.invoice"]._sme_income_account(self.company_a),
        )
        self.assertEqual(line.account_id.company_id, self.company_a)
        self.assertEqual([(name, rec) for name, rec, _kw in received], [(WON, lead)])
        row = self.outbox(self.company_a, WON)
        self.assertEqual(len(row), 1)
        self.assertEqual((row.invoice_id, row.partner_id), (invoice, lead.partner_id))
        self.assertIn('"amount": 25000.0', row.payload)
        self.assertIn("draft invoice made", lead.message_ids[0].body)
        # Won again after a reopening: the same invoice, none more.
        lead.stage_id = self.proposition
        self.assertEqual(lead.sme_status, "qualified")
        lead.stage_id = self.won
        self.assertEqual(lead.sme_invoice_id, invoice)
        self.assertEqual(
            self.env["account.invoice"].search_count(
                [("origin", "=", "Rohit: wiring for 12 flats")]
            ),
            1,
        )

    def test_moving_to_the_won_stage_wins(self):
        asha = self.customer("Asha Rao", "9876543210")
        lead = self.opportunity(partner_id=asha.id, phone="9876543210")
        with listening(self.env, WON) as received:
            lead.write({"stage_id": self.won.id})
        self.assertEqual(lead.sme_status, "won")
        self.assertEqual(lead.sme_invoice_id.partner_id, asha)
        self.assertEqual(len(received), 1)
        # An opportunity entered as won is won.
        entered = self.opportunity(stage_id=self.won.id, phone="9822088888")
        self.assertTrue(entered.sme_invoice_id)

    def test_salesperson_without_invoicing_rights_wins(self):
        lead = self.opportunity(user_id=self.seller_a.id)
        self.assertFalse(
            self.seller_a.has_group("account.group_account_invoice"),
            "the salesperson must not be an invoicing user for this test",
        )
        lead.sudo(self.seller_a).action_set_won_rainbowman()
        invoice = lead.sme_invoice_id
        self.assertEqual((invoice.state, invoice.amount_total), ("draft", 25000.0))
        self.assertEqual(invoice.user_id, self.seller_a)
        self.assertEqual(invoice.journal_id.company_id, self.company_a)

    def test_no_amount_no_invoice_said_in_the_chatter(self):
        lead = self.opportunity(planned_revenue=0.0)
        with listening(self.env, WON) as received:
            lead.action_set_won()
        self.assertFalse(lead.sme_invoice_id)
        self.assertFalse(lead.partner_id)  # no customer made for nothing
        self.assertEqual(len(received), 1)  # won all the same
        self.assertIn("no invoice was made", lead.message_ids[0].body)

    def test_company_can_turn_invoicing_off(self):
        self.company_a.sme_invoice_on_won = False
        lead = self.opportunity()
        lead.action_set_won()
        self.assertEqual(lead.sme_status, "won")
        self.assertFalse(lead.sme_invoice_id)
        self.assertEqual(len(self.outbox(self.company_a, WON)), 1)
        # Company B still invoices its won opportunities.
        theirs = self.opportunity(company=self.company_b)
        theirs.action_set_won()
        self.assertEqual(theirs.sme_invoice_id.company_id, self.company_b)
        self.assertTrue(self.company_b.sme_invoice_on_won)  # the default
        self.assertEqual(
            self.env["res.config.settings"]._fields["sme_invoice_on_won"].related,
            ("company_id", "sme_invoice_on_won"),
        )


class TestIntake(LeadCase):
    @classmethod
    def setUpClass(cls):
        super(TestIntake, cls).setUpClass()
        Campaign = cls.env["sme.marketing.campaign"]
        cls.campaign = Campaign.create(
            {
                "name": "Monsoon banner",
                "company_id": cls.company_a.id,
                "campaign_type": "social",
                "date_start": "2026-09-01",
                "date_end": "2026-12-31",
            }
        )
        cls.campaign.action_launch()
        cls.campaign_b = Campaign.create(
            {
                "name": "B's banner",
                "company_id": cls.company_b.id,
                "campaign_type": "social",
            }
        )
        cls.campaign_b.action_launch()

    def intake(self, company=None, env=None, **values):
        values.setdefault("name", "Sunita Deshpande")
        values.setdefault("phone", "98900 11223")
        values.setdefault("campaign", self.campaign.id)
        values.setdefault("company_id", (company or self.company_a).id)
        return (env or self.env)["crm.lead"].sme_intake_lead(values)

    def assertRefused(self, fragment, exception=UserError, **values):
        count = self.Lead.with_context(active_test=False).search_count([])
        with self.assertRaises(exception) as caught:
            self.intake(**values)
        self.assertIn(fragment, caught.exception.name)
        self.assertEqual(
            self.Lead.with_context(active_test=False).search_count([]), count
        )

    def test_lead_from_a_campaign(self):
        result = self.intake(
            email="sunita@example.in",
            source="Website form",
            description="Wants LED panels\nfor a 40-seat office.",
        )
        self.assertEqual((result["is_new"], result["partner_id"]), (True, False))
        lead = self.Lead.browse(result["id"])
        self.assertEqual(
            (lead.name, lead.contact_name, lead.phone, lead.email_from),
            (
                "Sunita Deshpande",
                "Sunita Deshpande",
                "+919890011223",
                "sunita@example.in",
            ),
        )
        self.assertEqual(
            (lead.campaign_id, lead.medium_id, lead.source_id.name),
            (self.campaign.campaign_id, self.campaign.medium_id, "Website form"),
        )
        self.assertEqual(
            (lead.company_id, lead.user_id), (self.company_a, self.env["res.users"])
        )
        self.assertEqual(lead.sme_status, "new")
        # The campaign counts it as its lead (conversion).
        self.campaign.invalidate_cache()
        self.assertEqual(self.campaign.lead_count, 1)
        # A source is found by name, in any case.
        again = self.intake(phone="9890011224", source="WEBSITE FORM")
        self.assertEqual(self.Lead.browse(again["id"]).source_id, lead.source_id)

    def test_customer_with_the_phone_is_linked(self):
        asha = self.customer("Asha Rao", "9876543210")
        result = self.intake(name="Asha", phone="+91 98765 43210")
        self.assertEqual(result["partner_id"], asha.id)
        self.assertEqual(self.Lead.browse(result["id"]).partner_id, asha)
        self.assertEqual(asha.name, "Asha Rao")  # a lead changes no customer

    def test_same_phone_campaign_and_day_is_the_same_lead(self):
        first = self.intake()
        again = self.intake(phone="+91-98900-11223", name="Sunita D.")
        self.assertEqual((again["id"], again["is_new"]), (first["id"], False))
        # Another day, another campaign, no campaign: new leads.
        tomorrow = self.env(context=dict(self.env.context, sme_today="2026-10-02"))
        next_day = self.intake(env=tomorrow)
        other = self.env["sme.marketing.campaign"].create(
            {
                "name": "Festive",
                "company_id": self.company_a.id,
                "campaign_type": "social",
            }
        )
        other.action_launch()
        by_other = self.intake(campaign=other.id)
        without = self.intake(campaign=False)
        ids = {first["id"], next_day["id"], by_other["id"], without["id"]}
        self.assertEqual(len(ids), 4)
        self.assertEqual(self.intake(campaign=False)["id"], without["id"])
        # Once the lead is lost, the same request is a new lead.
        lead = self.Lead.browse(first["id"])
        lead.lost_reason = self.reason
        lead.action_set_lost()
        fresh = self.intake()
        self.assertTrue(fresh["is_new"])
        self.assertNotEqual(fresh["id"], first["id"])
        self.assertFalse(lead.sme_intake_key)

    def test_concurrent_intake_is_retried(self):
        first = self.Lead.browse(self.intake()["id"])
        with self.assertRaises(LeadTakenConcurrently) as caught:
            self.Lead._sme_intake_create(
                {"name": "Twin", "sme_intake_key": first.sme_intake_key}
            )
        self.assertEqual(caught.exception.pgcode, "40001")

    def test_campaign_refusals(self):
        self.assertRefused(
            "There is no campaign with ID 2147483647", campaign=2**31 - 1
        )
        self.assertRefused("belongs to another company", campaign=self.campaign_b.id)
        self.campaign.action_pause()
        self.assertRefused(
            "'Monsoon banner' is paused: only active", campaign=self.campaign.id
        )
        self.campaign.action_complete()
        self.assertRefused("has ended", campaign=self.campaign.id)
        draft = self.env["sme.marketing.campaign"].create(
            {
                "name": "Later",
                "company_id": self.company_a.id,
                "campaign_type": "social",
            }
        )
        self.assertRefused("has not been launched yet", campaign=draft.id)
        draft.action_cancel()
        self.assertRefused("was cancelled", campaign=draft.id)
        # Company B's campaign is fine for company B.
        self.assertTrue(
            self.intake(company=self.company_b, campaign=self.campaign_b.id)["is_new"]
        )

    def test_argument_refusals(self):
        self.assertRefused("not a valid phone number", phone="call me")
        self.assertRefused("not a valid phone number", phone="12")
        self.assertRefused("phone is required", phone="")
        self.assertRefused("phone must be a text", phone=9890011223)
        self.assertRefused("name must be a text", name=None)
        self.assertRefused("name must not be blank", name="   ")
        self.assertRefused("campaign must be a record id", campaign="Monsoon banner")
        self.assertRefused("campaign must be a record id", campaign=-3)
        self.assertRefused("email: 'sunita' is not an email address", email="sunita")
        self.assertRefused("source must be a text", source=["web"])
        self.assertRefused("must be a single line", source="web\nform")
        self.assertRefused("Unknown lead fields: stage_id", stage_id=1)
        with self.assertRaisesRegex(UserError, "values must be a dictionary"):
            self.Lead.sme_intake_lead(["Sunita", "9890011223"])

    def test_users_take_leads_in_their_own_companies(self):
        seller = self.env(user=self.seller_a.id)
        result = self.intake(env=seller)
        self.assertEqual(self.Lead.browse(result["id"]).company_id, self.company_a)
        self.assertRefused(
            "not allowed to work with the customers of company",
            exception=AccessError,
            env=seller,
            company=self.company_b,
            campaign=self.campaign_b.id,
        )
