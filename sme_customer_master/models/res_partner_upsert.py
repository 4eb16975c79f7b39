from psycopg2 import IntegrityError, OperationalError, errorcodes
from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import InvalidPhone, normalize_phone
from .res_partner import PHONE_UNIQUE_INDEX

# What external systems may set through the upsert: customer identity and
# contact data, never bookkeeping fields. ``gstin``, ``country_code`` and
# ``state_code`` are spelled the way other systems hold them.
UPSERT_FIELDS = {
    "name", "phone", "mobile", "email", "website", "street", "street2", "city",
    "zip", "state_id", "country_id", "vat", "ref", "comment", "lang",
    "credit_limit", "sme_credit_hold", "sme_credit_hold_reason", "user_id",
}
UPSERT_ALIASES = {"gstin": "vat"}


class CustomerCreatedConcurrently(TransactionRollbackError):
    """Another transaction created the same customer while this one tried
    to: reported as a serialization failure, which Odoo's RPC layer and
    queue_job retry with a fresh transaction, where the upsert then finds
    and updates that customer."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def sme_upsert_customer(self, values, company_id=None):
        """Create or update the customer with this phone in the company.

        ``values``: ``name`` and ``phone`` (any spelling), and optionally
        ``email``, ``mobile``, ``street``, ``street2``, ``city``, ``zip``,
        ``state_code`` or ``state_id``, ``country_code`` or ``country_id``,
        ``gstin`` (or ``vat``), ``credit_limit``, ``ref``, ``comment``, ...
        ``company_id``: defaults to the user's current company; the user
        must belong to it.

        An existing customer, archived or not, is updated (and reactivated);
        otherwise one is created. Returns ``{'id': int, 'is_new': bool}``.
        """
        if not isinstance(values, dict):
            raise UserError(_("The customer's values must be a dictionary."))
        try:
            return self._sme_upsert_customer(values, company_id)
        except OperationalError:
            # A concurrent upsert of the same phone: Odoo 11 retries the call
            # with a new cursor but would replay this attempt's pending
            # recomputations on the old one. Forget them.
            self.env.clear()
            raise

    @api.model
    def _sme_upsert_customer(self, values, company_id):
        company = self.env["res.company"]._sme_company_for_call(company_id)
        vals = self._sme_upsert_vals(values, company)
        phone = self._sme_normalize_input_phone(values.get("phone"), company)
        existing = self._sme_find_customer(phone, company)
        if existing:
            if not existing.active:
                vals["active"] = True
            existing.write(vals)
            return {"id": existing.id, "is_new": False}
        if not vals.get("name"):
            raise UserError(_("No customer has the phone %s yet: give a name to create one.") % phone)
        try:
            with self.env.cr.savepoint():
                partner = self.create(dict(vals, customer=True, company_id=company.id))
        except IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION or \
                    error.diag.constraint_name != PHONE_UNIQUE_INDEX:
                raise
            raise CustomerCreatedConcurrently(
                "customer with phone %s created concurrently, retry" % phone)
        return {"id": partner.id, "is_new": True}

    @api.model
    def sme_find_customer_by_phone(self, phone, company_id=None):
        """The customer with this phone (any spelling) in the company, or
        False. Returns ``{'id', 'name', 'phone', 'phone_e164', 'email',
        'active'}``; archived customers are found too."""
        company = self.env["res.company"]._sme_company_for_call(company_id)
        try:
            normalized = normalize_phone(phone, company._sme_phone_region())
        except InvalidPhone:
            return False
        customer = self._sme_find_customer(normalized, company) if normalized else None
        if not customer:
            return False
        return {
            "id": customer.id,
            "name": customer.name,
            "phone": customer.phone,
            "phone_e164": customer.sme_phone_normalized,
            "email": customer.email or False,
            "active": customer.active,
        }

    @api.model
    def _sme_find_customer(self, normalized_phone, company):
        return self.with_context(active_test=False).search([
            ("sme_phone_normalized", "=", normalized_phone),
            ("company_id", "=", company.id),
        ], limit=1)

    @api.model
    def _sme_normalize_input_phone(self, phone, company):
        if not phone:
            raise UserError(_("A customer's phone number is required."))
        try:
            return normalize_phone(phone, company._sme_phone_region())
        except InvalidPhone:
            raise UserError(_("'%s' is not a valid phone number.") % phone)

    @api.model
    def _sme_upsert_vals(self, values, company):
        """Turn the caller's values into partner values, refusing unknown keys."""
        vals = {}
        unknown = []
        for key, value in values.items():
            if key in ("country_code", "state_code"):
                continue
            name = UPSERT_ALIASES.get(key, key)
            if name in UPSERT_FIELDS:
                vals[name] = value
            else:
                unknown.append(key)
        if unknown:
            raise UserError(_("Unknown customer fields: %s. Allowed: %s.") % (
                ", ".join(sorted(unknown)),
                ", ".join(sorted((UPSERT_FIELDS | set(UPSERT_ALIASES) | {"country_code", "state_code"})))))
        if "name" in vals and not vals["name"]:
            del vals["name"]
        country = self._sme_country_from(values, company)
        if country:
            vals["country_id"] = country.id
        if values.get("state_code"):
            state = self.env["res.country.state"].search([
                ("code", "=ilike", values["state_code"]),
                ("country_id", "=", (country or company.country_id or self.env.ref("base.in")).id),
            ], limit=1)
            if not state:
                raise UserError(_("Unknown state code '%s'.") % values["state_code"])
            vals["state_id"] = state.id
        return vals

    @api.model
    def _sme_country_from(self, values, company):
        if values.get("country_code"):
            country = self.env["res.country"].search(
                [("code", "=ilike", values["country_code"])], limit=1)
            if not country:
                raise UserError(_("Unknown country code '%s'.") % values["country_code"])
            return country
        return None
