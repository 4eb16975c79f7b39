# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.component.core import Component


class SmeMarketingCustomerListener(Component):
    """Marketing's reaction to the customer master's customer events."""

    _name = "sme.marketing.customer.listener"
    _inherit = "base.event.listener"
    _apply_on = ["res.partner"]

    def on_sme_customer_created(self, record):
        # Welcome journey: enrolled once, the message sent by a queue job.
        self.env["sme.marketing.campaign"]._sme_journey_enroll(record, "welcome")
        # A new customer has no invoices yet: the default scores are its
        # scores; the profile comes with the customer's referral code.
        # ``record`` is several customers when an import created them together.
        if len(record) > 1:
            self.env["sme.customer.health"]._sme_profiles_for_new(record)
            self.env["sme.onboarding"]._sme_start_many(record)
            return
        self.env["sme.customer.health"]._sme_profile_for(record)
        self.env["sme.onboarding"]._sme_start(record)

    def on_sme_customer_updated(self, record, fields=None):
        if "email" in (fields or []) and record.email:
            self.env["sme.onboarding"]._sme_complete_for(
                record, record.company_id or self.env.user.company_id, "email_given"
            )
