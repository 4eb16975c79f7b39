# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GST treatment and place of supply (issue 13): on the customer, through
the upsert, defaulting to and following the customer's state."""
from odoo.exceptions import UserError

from .common import CustomerMasterCase


class TestGstFields(CustomerMasterCase):
    def state(self, code, country="base.in"):
        return self.env["res.country.state"].search(
            [("code", "=", code), ("country_id", "=", self.env.ref(country).id)],
            limit=1,
        )

    def test_upsert_accepts_treatment_and_place_of_supply(self):
        partner = self.customer(
            "Asha Rao",
            "9876543210",
            state_code="MH",
            gst_treatment="business_gst",
            place_of_supply="ka",
        )
        self.assertEqual(
            (partner.sme_gst_treatment, partner.sme_place_of_supply_id),
            ("business_gst", self.state("KA")),
        )
        self.upsert(
            {"phone": "9876543210", "gst_treatment": False, "place_of_supply": False}
        )
        self.assertEqual(
            (partner.sme_gst_treatment, partner.sme_place_of_supply_id.id),
            (False, False),
        )

    def test_place_of_supply_defaults_to_the_state_and_follows_it(self):
        partner = self.customer("Asha Rao", "9876543210", state_code="MH")
        self.assertEqual(partner.sme_place_of_supply_id, self.state("MH"))
        self.upsert({"phone": "9876543210", "state_code": "KA"})
        self.assertEqual(partner.sme_place_of_supply_id, self.state("KA"))
        partner.sme_place_of_supply_id = self.state("DL")  # set by hand: stays
        self.upsert({"phone": "9876543210", "state_code": "MH"})
        self.assertEqual(partner.sme_place_of_supply_id, self.state("DL"))

    def test_no_place_of_supply_from_a_state_abroad(self):
        partner = self.customer(
            "Acme Inc",
            "+1 650 253 0000",
            country_code="US",
            state_code="CA",
            gst_treatment="overseas",
        )
        self.assertEqual(
            (partner.sme_gst_treatment, partner.sme_place_of_supply_id.id),
            ("overseas", False),
        )

    def test_place_of_supply_is_a_state_of_india(self):
        with self.assertRaises(UserError) as caught:
            self.upsert(
                {"name": "Acme Inc", "phone": "9876543210", "place_of_supply": "CA"}
            )
        self.assertIn("state of India", caught.exception.name)

    def test_onchange_of_the_state(self):
        partner = self.Partner.new(
            {"name": "Asha Rao", "state_id": self.state("MH").id}
        )
        partner._onchange_sme_place_of_supply()
        self.assertEqual(partner.sme_place_of_supply_id, self.state("MH"))

    def test_form_shows_the_fields(self):
        arch = self.Partner.fields_view_get(view_type="form")["arch"]
        self.assertIn('name="sme_gst_treatment"', arch)
        self.assertIn('name="sme_place_of_supply_id"', arch)
