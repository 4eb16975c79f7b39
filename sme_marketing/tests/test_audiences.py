# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Audiences: each filter over the company's master customers, and the
preview counts (reachable by channel, skipped and why) before sending."""
from odoo.exceptions import ValidationError

from .test_campaigns import CampaignCase


class TestAudiences(CampaignCase):
    @classmethod
    def setUpClass(cls):
        super(TestAudiences, cls).setUpClass()
        cls.pune = cls.env["res.country.state"].search(
            [("country_id.code", "=", "IN"), ("code", "=", "MH")], limit=1
        )
        cls.goa = cls.env["res.country.state"].search(
            [("country_id.code", "=", "IN"), ("code", "=", "GA")], limit=1
        )
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP test"})

    def setUp(self):
        super(TestAudiences, self).setUp()
        self.asha = self.customer(
            "Asha Rao",
            "9876543210",
            email="asha@example.in",
            mobile="9876500001",
            city="Pune",
            state_id=self.pune.id,
        )
        self.ravi = self.customer(
            "Ravi Kumar",
            "9822012345",
            email="ravi@example.in",
            city="Panaji",
            state_id=self.goa.id,
        )
        self.meena = self.customer("Meena Iyer", "9822012346", city="pune")
        self.opted = self.customer("Opted Out", "9822012347", email="out@example.in")
        self.opted.opt_out = True
        self.other_company = self.customer(
            "Other Co", "9822012348", self.company_b, email="b@example.in"
        )
        # A contact person of a customer is no master customer.
        self.contact = self.Partner.create(
            {
                "name": "Asha's clerk",
                "parent_id": self.asha.id,
                "email": "clerk@example.in",
                "company_id": self.company_a.id,
            }
        )
        self.asha.category_id = self.vip

    def set_health(self, partner, **values):
        # Stored computed values set as the recomputation would leave them.
        health = self.env["sme.customer.health"]._sme_profile_for(partner)
        for name, value in values.items():
            assert name in ("segment", "last_purchase_date")
            self.env.cr.execute(
                "UPDATE sme_customer_health SET %s = %%s WHERE id = %%s" % name,
                (value, health.id),
            )
        health.invalidate_cache()

    def members(self, audience):
        return set(audience._sme_partners().mapped("name"))

    def test_company_master_customers_only(self):
        everyone = self.audience()
        self.assertEqual(
            self.members(everyone),
            {"Asha Rao", "Ravi Kumar", "Meena Iyer", "Opted Out"},
        )

    def test_segments(self):
        self.set_health(self.asha, segment="critical")
        self.set_health(self.ravi, segment="at_risk")
        self.set_health(self.meena, segment="healthy")
        self.set_health(self.opted, segment="new")
        self.assertEqual(
            self.members(self.audience(segment_critical=True, segment_at_risk=True)),
            {"Asha Rao", "Ravi Kumar"},
        )
        self.assertEqual(self.members(self.audience(segment_new=True)), {"Opted Out"})
        self.assertEqual(
            self.members(self.audience(segment_healthy=True)), {"Meena Iyer"}
        )

    def test_tags_city_states(self):
        self.assertEqual(
            self.members(self.audience(category_ids=[(6, 0, self.vip.ids)])),
            {"Asha Rao"},
        )
        self.assertEqual(
            self.members(self.audience(city=" PUNE ")), {"Asha Rao", "Meena Iyer"}
        )
        self.assertEqual(
            self.members(self.audience(state_ids=[(6, 0, self.goa.ids)])),
            {"Ravi Kumar"},
        )
        self.assertEqual(
            self.members(
                self.audience(city="Pune", category_ids=[(6, 0, self.vip.ids)])
            ),
            {"Asha Rao"},
        )

    def test_last_purchase_window(self):
        self.set_health(self.asha, last_purchase_date="2026-05-20")
        self.set_health(self.ravi, last_purchase_date="2026-01-10")
        recent = self.audience(purchased_within_days=30).with_context(
            sme_today="2026-06-01"
        )
        self.assertEqual(self.members(recent), {"Asha Rao"})
        lapsed = self.audience(not_purchased_for_days=90).with_context(
            sme_today="2026-06-01"
        )
        # Never bought counts as not bought for 90 days.
        self.assertEqual(
            self.members(lapsed), {"Ravi Kumar", "Meena Iyer", "Opted Out"}
        )

    def test_referral_status(self):
        Referral = self.env["sme.referral"]
        Referral.create(
            {
                "referrer_id": self.asha.id,
                "referred_id": self.ravi.id,
                "company_id": self.company_a.id,
            }
        )
        Referral.create(
            {
                "company_id": self.company_a.id,
                "referred_id": self.meena.id,
                "status": "rejected",
                "code": "NOBODY",
                "reason": "No such code",
            }
        )
        self.assertEqual(
            self.members(self.audience(referral_status="referred")), {"Ravi Kumar"}
        )
        self.assertEqual(
            self.members(self.audience(referral_status="not_referred")),
            {"Asha Rao", "Meena Iyer", "Opted Out"},
        )
        self.assertEqual(
            self.members(self.audience(referral_status="referrer")), {"Asha Rao"}
        )

    def test_customer_groups(self):
        if "sme.customer.group" not in self.env:
            self.skipTest("customer groups are not installed")
        Group = self.env["sme.customer.group"]
        wholesale = Group.create({"name": "Wholesale", "company_id": self.company_a.id})
        self.ravi.sme_customer_group_id = wholesale
        self.assertEqual(
            self.members(self.audience(customer_group_ids=[(6, 0, wholesale.ids)])),
            {"Ravi Kumar"},
        )
        theirs = Group.create({"name": "B's", "company_id": self.company_b.id})
        with self.assertRaisesRegex(ValidationError, "belongs to Test Traders B"):
            self.audience(customer_group_ids=[(6, 0, theirs.ids)])

    def test_preview_counts(self):
        # Ravi's number was refused as DND by an earlier SMS campaign.
        earlier = self.campaign(name="Earlier SMS", campaign_type="sms")
        self.Recipient._sme_insert(
            [
                (
                    earlier.id,
                    self.ravi.id,
                    self.company_a.id,
                    "sms",
                    "audience",
                    "failed",
                    "+919822012345",
                    "DND",
                    "dnd",
                )
            ]
        )
        audience = self.audience()
        self.assertEqual(audience.count_total, 4)
        # Email: Asha and Ravi; Meena has no email; the opted-out one skipped.
        self.assertEqual(
            (audience.count_email, audience.count_no_email, audience.count_opt_out),
            (2, 1, 1),
        )
        # SMS: everyone has a phone; Ravi is DND, the opted-out one skipped.
        self.assertEqual(
            (audience.count_sms, audience.count_no_mobile, audience.count_dnd),
            (2, 0, 1),
        )
        reachable, skipped = audience._sme_recipients("email")
        self.assertEqual(set(reachable.mapped("name")), {"Asha Rao", "Ravi Kumar"})
        self.assertEqual(skipped, {"opt_out": 1, "no_email": 1})
        # The mobile is preferred over the phone for SMS.
        plan = dict(
            (partner_id, address)
            for partner_id, address, _code in self.Audience._sme_reachability(
                self.asha, "sms", self.company_a
            )
        )
        self.assertEqual(plan[self.asha.id], "+919876500001")

    def test_launch_enrolls_and_counts_the_skipped(self):
        audience = self.audience()
        campaign = self.campaign(audience_id=audience.id)
        campaign.action_launch()
        rows = {
            recipient.partner_id.name: (recipient.state, recipient.skip_code)
            for recipient in campaign.recipient_ids
        }
        self.assertEqual(
            rows,
            {
                "Asha Rao": ("queued", False),
                "Ravi Kumar": ("queued", False),
                "Meena Iyer": ("skipped", "no_email"),
                "Opted Out": ("skipped", "opt_out"),
            },
        )
        self.assertEqual(
            campaign.recipient_ids.filtered(lambda r: r.state == "queued").mapped(
                "address"
            ),
            ["ravi@example.in", "asha@example.in"],
        )

    def test_windows_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.audience(purchased_within_days=-1)
