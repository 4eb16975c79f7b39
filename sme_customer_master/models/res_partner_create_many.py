# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..tools.create_many import create_many


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _sme_create_customers(self, values_list, company):
        """New customers of ``company`` in one go, for importers: what
        ``sme_upsert_customer`` does for a phone the company does not have,
        for many at once (values as for that method, each with a name and a
        phone — or a GSTIN and no phone). The caller has looked the phones
        up; the unique index still guards them.

        All or nothing: a refused value raises (UserError, ValidationError,
        IntegrityError); the caller's savepoint undoes the batch and it may
        create the customers one by one to learn which. Publishes one
        ``on_sme_customer_created`` for the batch (listeners get the
        records together) and an outbox row per customer."""
        vals_list = [
            self._sme_new_customer_vals(values, company) for values in values_list
        ]
        partners = create_many(self.with_context(sme_creating=True), vals_list)
        partners = partners.with_context(sme_creating=False)
        self.env["sme.customer.event"]._publish_many(
            "on_sme_customer_created",
            partners,
            [partner._sme_event_payload() for partner in partners],
        )
        return partners

    @api.model
    def _sme_new_customer_vals(self, values, company):
        """The values ``create()`` would store for a new customer: checked as
        the upsert checks them, then what ``create()`` adds (clean name,
        compact GSTIN, place of supply, the phone's E.164 key)."""
        vals = self._sme_upsert_vals(values, company)
        phone = values.get("phone")
        normalized = self._sme_normalize_input_phone(phone, company) if phone else False
        vals.update(
            customer=True, company_id=company.id, sme_phone_normalized=normalized
        )
        vals = self._sme_prepare_create_vals(vals, company)
        # Odoo's own create() cleans the website; INSERT bypasses it.
        if vals.get("website"):
            vals["website"] = self._clean_website(vals["website"])
        return vals
