# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import InvalidPhone, arguments as check, normalize_phone
from .res_partner import GST_TREATMENTS

# What external systems may set through the upsert: customer identity and
# contact data, never bookkeeping fields, each with the check its value
# must pass. Texts: the longest value accepted (indexed columns such as
# name and ref cannot take very long values), and whether line breaks are
# allowed. ``gstin``, ``*_code``, ``gst_treatment`` and ``place_of_supply``
# are spelled the way other systems hold them.
UPSERT_TEXTS = {
    "name": 256,
    "email": 254,
    "website": 256,
    "street": 256,
    "street2": 256,
    "city": 128,
    "zip": 24,
    "vat": 32,
    "ref": 64,
    "sme_credit_hold_reason": 256,
}
UPSERT_MULTILINE_TEXTS = {"comment": 10000}
UPSERT_PHONES = {"phone": 64, "mobile": 64}
UPSERT_RECORDS = {
    "state_id": "res.country.state",
    "country_id": "res.country",
    "user_id": "res.users",
}
UPSERT_CODES = {"state_code": 8, "country_code": 3, "place_of_supply": 8}
UPSERT_OTHERS = {"credit_limit", "sme_credit_hold", "lang", "gst_treatment"}
UPSERT_ALIASES = {"gstin": "vat"}
UPSERT_KEYS = (
    set(UPSERT_TEXTS)
    | set(UPSERT_MULTILINE_TEXTS)
    | set(UPSERT_PHONES)
    | set(UPSERT_RECORDS)
    | set(UPSERT_CODES)
    | UPSERT_OTHERS
    | set(UPSERT_ALIASES)
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _sme_upsert_vals(self, values, company):
        """Check the caller's values (type, length, range, existence, company)
        and turn them into partner values. ``phone`` is stored as given (the
        caller checks that it is a usable number); an empty value (``''``,
        False, None) clears the field, except the name, which then stays."""
        self._sme_upsert_check_keys(values)
        vals = {}
        for key, value in values.items():
            name = UPSERT_ALIASES.get(key, key)
            if vals.get(name) and check.is_empty(value):
                continue  # ``gstin`` given, ``vat`` empty (or the reverse): the value counts
            if name == "name":
                # Sanitised by create() and write(): a name of only spaces or
                # invisible characters is refused there, not dropped here.
                vals[name] = check.text(key, value, UPSERT_TEXTS[name])
            elif name in UPSERT_TEXTS:
                vals[name] = self._sme_upsert_text(key, value, UPSERT_TEXTS[name])
            elif name in UPSERT_MULTILINE_TEXTS:
                vals[name] = check.text(
                    key, value, UPSERT_MULTILINE_TEXTS[name], multiline=True
                )
            elif name == "phone":
                vals[name] = self._sme_upsert_text(
                    key, value, UPSERT_PHONES[key]
                )  # checked by the caller
            elif name == "mobile":
                vals[name] = self._sme_upsert_other_phone(key, value, company)
            elif name in UPSERT_RECORDS:
                vals[name] = self._sme_upsert_record(
                    key, value, UPSERT_RECORDS[name], company
                )
        if "name" in vals and not vals["name"]:
            del vals["name"]  # an update without a name keeps the name
        if "credit_limit" in values:
            vals["credit_limit"] = (
                0.0
                if check.is_empty(values["credit_limit"])
                else check.amount("credit_limit", values["credit_limit"])
            )
        if "sme_credit_hold" in values:
            vals["sme_credit_hold"] = check.boolean(
                "sme_credit_hold", values["sme_credit_hold"]
            )
        if "lang" in values:
            installed = {code for code, _name in self.env["res.lang"].get_installed()}
            vals["lang"] = check.choice("lang", values["lang"], installed)
        if "gst_treatment" in values:
            vals["sme_gst_treatment"] = check.choice(
                "gst_treatment", values["gst_treatment"], dict(GST_TREATMENTS)
            )
        if vals.get("website"):
            vals["website"] = self._sme_upsert_website(vals["website"])
        self._sme_upsert_places(values, vals, company)
        return vals

    @api.model
    def _sme_upsert_check_keys(self, values):
        """Refuse what is not a dictionary, keys the upsert does not take,
        and an alias given together with the field it stands for."""
        check.dictionary("values", values)
        unknown = sorted(str(key)[:40] for key in values if key not in UPSERT_KEYS)
        if unknown:
            raise UserError(
                _("Unknown customer fields: %s. Allowed: %s.")
                % (", ".join(unknown), ", ".join(sorted(UPSERT_KEYS)))
            )
        for alias, name in UPSERT_ALIASES.items():
            if not check.is_empty(values.get(alias)) and not check.is_empty(
                values.get(name)
            ):
                raise UserError(_("Give %s or %s, not both.") % (alias, name))

    @api.model
    def _sme_upsert_text(self, key, value, max_length):
        value = check.text(key, value, max_length)
        return (value or "").strip() or False

    @api.model
    def _sme_upsert_other_phone(self, key, value, company):
        """A second number (mobile) is stored as given, but must be a phone."""
        value = self._sme_upsert_text(key, value, UPSERT_PHONES[key])
        if not value:
            return False
        try:
            normalize_phone(value, company._sme_phone_region())
        except InvalidPhone:
            raise UserError(
                _("%s: '%s' is not a valid phone number.") % (key, value)
            ) from None
        return value

    @api.model
    def _sme_upsert_record(self, key, value, model, company):
        record_id = check.record_id(key, value)
        if not record_id:
            return False
        record = self.env[model].sudo().browse(record_id).exists()
        if model == "res.users":
            # One answer whether the user does not exist or works elsewhere:
            # a caller learns nothing about other companies' users.
            if not record or not record.active or company not in record.company_ids:
                raise UserError(
                    _("user_id must be a user of %s (the salesperson): %d is not.")
                    % (company.name, record_id)
                )
        elif not record:
            raise UserError(
                _("%s: there is no %s with ID %d.")
                % (key, self.env[model]._description, record_id)
            )
        return record_id

    @api.model
    def _sme_upsert_website(self, website):
        try:
            return self._clean_website(website)
        except ValueError:
            raise UserError(
                _("website: '%s' is not a web address.") % website
            ) from None

    @api.model
    def _sme_upsert_places(self, values, vals, company):
        """Country, state and place of supply from ids or codes; the state
        must lie in the country."""
        codes = {
            key: check.text(key, values.get(key), size)
            for key, size in UPSERT_CODES.items()
        }
        for code, field in (("country_code", "country_id"), ("state_code", "state_id")):
            if codes[code] and vals.get(field):
                raise UserError(_("Give %s or %s, not both.") % (code, field))
        Country, State = (
            self.env["res.country"].sudo(),
            self.env["res.country.state"].sudo(),
        )
        if codes["country_code"]:
            country = Country.search(
                [("code", "=", codes["country_code"].strip().upper())], limit=1
            )
            if not country:
                raise UserError(_("Unknown country code '%s'.") % codes["country_code"])
            vals["country_id"] = country.id
        country = Country.browse(vals.get("country_id") or [])
        if codes["state_code"]:
            in_country = country or company.country_id or self.env.ref("base.in")
            state = self._sme_state_by_code(codes["state_code"], in_country)
            if not state:
                raise UserError(
                    _("Unknown state code '%s' in %s.")
                    % (codes["state_code"], in_country.name)
                )
            vals["state_id"] = state.id
        state = State.browse(vals.get("state_id") or [])
        if state and country and state.country_id != country:
            raise UserError(
                _("The state %s is not in %s.") % (state.name, country.name)
            )
        if "place_of_supply" in values:
            place = False
            if codes["place_of_supply"]:
                india = self.env.ref("base.in")
                place = self._sme_state_by_code(codes["place_of_supply"], india)
                if not place:
                    raise UserError(
                        _(
                            "place_of_supply: '%s' is not the code of a state of India "
                            "(e.g. MH, KA, DL)."
                        )
                        % codes["place_of_supply"]
                    )
            vals["sme_place_of_supply_id"] = place.id if place else False

    @api.model
    def _sme_state_by_code(self, code, country):
        """Exact, case-insensitive match (no ``ilike``: a code of ``%`` is
        not a wildcard)."""
        wanted = code.strip().upper()
        states = (
            self.env["res.country.state"]
            .sudo()
            .search([("country_id", "=", country.id)])
        )
        return states.filtered(lambda state: (state.code or "").upper() == wanted)[:1]
