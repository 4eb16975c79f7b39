# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo records ↔ connector records. Odoo-aware, system-neutral: the
backend's mapping fields name the accounts (Tally ledgers) to use."""
from odoo.addons.sme_customer_master.tools import InvalidPhone, normalize_phone

from sme_connectors.base import Customer, Voucher, VoucherItem, VoucherLine
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


def _tax_ledger(backend, tax_name):
    upper, ledgers = (tax_name or "").upper(), backend.settings_ref
    for marker, ledger in (
        ("CGST", ledgers.cgst_ledger),
        ("SGST", ledgers.sgst_ledger),
        ("IGST", ledgers.igst_ledger),
    ):
        if marker in upper and ledger:
            return ledger
    return ledgers.other_tax_ledger


def voucher_from_invoice(invoice, backend, party_name):
    """A sales voucher (credit note for refunds): party debited with the
    total, sales and tax ledgers credited; reversed for a credit note."""
    is_refund = invoice.type == "out_refund"
    party_debit = not is_refund
    lines = [VoucherLine(party_name, invoice.amount_total, party_debit, invoice.number)]
    lines.append(
        VoucherLine(
            backend.settings_ref.sales_ledger, invoice.amount_untaxed, not party_debit
        )
    )
    taxes = {}
    for tax_line in invoice.tax_line_ids:
        ledger = _tax_ledger(backend, tax_line.tax_id.name or tax_line.name)
        taxes[ledger] = taxes.get(ledger, 0.0) + tax_line.amount_total
    for ledger, amount in sorted(taxes.items()):
        if amount:
            lines.append(VoucherLine(ledger, round(amount, 2), not party_debit))
    items = [
        VoucherItem(
            name=line.product_id.name or line.name,
            quantity=line.quantity,
            price=line.price_unit,
            amount=line.price_subtotal,
            tax_amount=round(line.price_total - line.price_subtotal, 2),
            code=line.product_id.default_code or None,
        )
        for line in invoice.invoice_line_ids
    ]
    return Voucher(
        kind="credit_note" if is_refund else "sales",
        remote_id=remote_id(invoice),
        number=invoice.number,
        date=invoice.date_invoice,
        party=party_name,
        narration=invoice.name or invoice.origin or None,
        lines=lines,
        items=items,
    )


def voucher_from_payment(payment, backend, party_name):
    """A receipt: bank/cash debited, the customer credited."""
    reference = ", ".join(payment.invoice_ids.mapped("number")) or None
    return Voucher(
        kind="receipt",
        remote_id=remote_id(payment),
        number=payment.name,
        date=payment.payment_date,
        party=party_name,
        narration=payment.communication or None,
        lines=[
            VoucherLine(backend.settings_ref.bank_ledger, payment.amount, True),
            VoucherLine(party_name, payment.amount, False, reference),
        ],
    )


def voucher_from_move(move):
    """A journal voucher: each move line on the ledger named like its account."""
    lines = [
        VoucherLine(line.account_id.name, line.debit or line.credit, bool(line.debit))
        for line in move.line_ids
        if line.debit or line.credit
    ]
    return Voucher(
        kind="journal",
        remote_id=remote_id(move),
        number=move.name,
        date=move.date,
        party=None,
        narration=move.ref or None,
        lines=lines,
    )


def voucher_from_bank_move(move, backend, ledger_for_line):
    """A reconciled bank statement line's entry: a Receipt when the bank is
    debited, a Payment when it is credited; the bank line goes to the
    backend's receipts/bank ledger, the others to ``ledger_for_line(line)``."""
    bank_accounts = (
        move.journal_id.default_debit_account_id
        | move.journal_id.default_credit_account_id
    )
    lines, bank_debit = [], True
    for line in move.line_ids.filtered(lambda l: l.debit or l.credit):
        if line.account_id in bank_accounts:
            bank_debit = bool(line.debit)
            lines.append(
                VoucherLine(
                    backend.settings_ref.bank_ledger,
                    line.debit or line.credit,
                    bool(line.debit),
                )
            )
        else:
            lines.append(
                VoucherLine(
                    ledger_for_line(line), line.debit or line.credit, bool(line.debit)
                )
            )
    return Voucher(
        kind="receipt" if bank_debit else "payment",
        remote_id=remote_id(move),
        number=move.name,
        date=move.date,
        party=None,
        narration=move.ref or None,
        lines=lines,
    )


def remote_id(record):
    """Stable across retries and re-runs: the same record always sends the same id."""
    return "odoo-%s-%d-%s" % (
        record._name.replace(".", "_"),
        record.id,
        record.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8],
    )
