# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers both ways: res.partner <-> the connectors' Customer."""
from odoo.addons.sme_customer_master.tools import InvalidPhone, normalize_phone

from sme_connectors.base import Customer
from sme_connectors.zoho.gst import state_number


def customer_from_partner(partner):
    return Customer(
        name=partner.name,
        phone=partner.phone or None,
        mobile=partner.mobile or None,
        email=partner.email or None,
        gstin=partner.vat or None,
        street=partner.street or None,
        city=partner.city or None,
        state=partner.state_id.name or None,
        zip=partner.zip or None,
        country=partner.country_id.name or None,
        gst_treatment=partner.sme_gst_treatment or None,
        place_of_supply=partner.sme_place_of_supply_id.code
        or partner.state_id.code
        or None,
    )


def partner_values_from_customer(customer, company):
    """Values for the customer master's upsert, in its vocabulary (``gstin``,
    ``gst_treatment``, ``place_of_supply`` as a state code). The phone is the
    first of mobile and landline that is a valid number: a mobile of "N/A"
    does not hide a good landline."""
    country = _country(company, customer.country)
    state = _state(company, customer.state, country)
    values = {
        "name": customer.name,
        "phone": usable_phone(company, customer.mobile, customer.phone),
        "email": customer.email,
        "gstin": customer.gstin,
        "street": customer.street,
        "city": customer.city,
        "zip": customer.zip,
        "country_id": country.id,
        "state_id": state.id,
        "gst_treatment": customer.gst_treatment,
        "place_of_supply": _indian_state(company, customer.place_of_supply).code
        or None,
    }
    return {key: value for key, value in values.items() if value}


def usable_phone(company, *candidates):
    """The first candidate that is a valid phone number for the company's
    country, else the first non-empty one (the master then says why it is
    refused)."""
    filled = [c for c in candidates if c and str(c).strip()]
    for candidate in filled:
        try:
            if normalize_phone(candidate, company._sme_phone_region()):
                return candidate
        except (InvalidPhone, ValueError):
            continue
    return filled[0] if filled else None


def _country(company, name_or_code):
    """The country a system names ("India", "IN"), or nothing."""
    Country = company.env["res.country"].sudo()
    text = (name_or_code or "").strip()
    if not text:
        return Country.browse()
    return (
        Country.search([("code", "=ilike", text)], limit=1)
        if len(text) == 2
        else Country.search([("name", "=ilike", text)], limit=1)
    )


def _state(company, name_or_code, country):
    """The state a system names ("Maharashtra", "MH", "27"), in its country
    (the company's when the system gives none)."""
    State = company.env["res.country.state"].sudo()
    text = (name_or_code or "").strip()
    country = country or company.country_id or company.env.ref("base.in")
    if not text:
        return State.browse()
    found = State.search(
        [
            ("country_id", "=", country.id),
            "|",
            ("name", "=ilike", text),
            ("code", "=ilike", text),
        ],
        limit=1,
    )
    if not found and country == company.env.ref("base.in"):
        found = _indian_state(company, text)
    return found


def _indian_state(company, value):
    """The Odoo state of India a system means, whatever its spelling: Odoo's
    code, a name, a GST state number or GSTIN, or another system's code for
    the same state (Zoho and the GST portal write Telangana "TG", Odoo
    "TS"; Uttarakhand "UT" and "UK"). Nothing for a place that is no Indian
    state ("Other Territory", a foreign state): that leaves the place of
    supply unset rather than refusing the customer."""
    State = company.env["res.country.state"].sudo()
    text = (value or "").strip()
    if not text:
        return State.browse()
    states = State.search([("country_id", "=", company.env.ref("base.in").id)])
    exact = states.filtered(
        lambda state: state.code.upper() == text.upper()
        or state.name.lower() == text.lower()
    )
    if exact:
        return exact[0]
    number = state_number(text)
    if not number:
        return State.browse()
    for state in states:
        if number in (state_number(state.code), state_number(state.name)):
            return state
    return State.browse()
