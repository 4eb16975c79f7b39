# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payments both ways: an Odoo customer payment -> a receipt voucher there;
a receipt there -> the customer payment Odoo books (reconciling it with
the invoices it paid is the sync unit's)."""
from odoo import _
from odoo.exceptions import UserError

from sme_connectors.base import Voucher, VoucherLine

from .vouchers import remote_id


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


def payment_values_from_receipt(backend, voucher, partner, party_lines):
    """The customer payment Odoo books for a receipt there: on the company's
    cash journal when a cash ledger was debited, else its bank journal, for
    what the party's credit lines (``party_lines``) add up to."""
    cash = any(
        line.debit and "cash" in (line.account or "").lower() for line in voucher.lines
    )
    journal = (
        backend.env["account.journal"]
        .sudo()
        .search(
            [
                ("company_id", "=", backend.company_id.id),
                ("type", "=", "cash" if cash else "bank"),
            ],
            limit=1,
        )
    )
    if not journal:
        raise UserError(
            _("the company has no %s journal") % ("cash" if cash else "bank")
        )
    return {
        "payment_type": "inbound",
        "partner_type": "customer",
        "partner_id": partner.id,
        "amount": sum(line.amount for line in party_lines),
        "journal_id": journal.id,
        "payment_date": voucher.date,
        "communication": voucher.number,
        "payment_method_id": backend.env.ref(
            "account.account_payment_method_manual_in"
        ).id,
    }
