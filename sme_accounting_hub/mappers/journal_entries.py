# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journal and bank entries both ways: an Odoo move -> a journal or bank
voucher there; a journal voucher there -> the journal items Odoo books."""
from odoo import _
from odoo.exceptions import UserError

from sme_connectors.base import Voucher, VoucherLine

from .vouchers import remote_id


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


def move_lines_from_voucher(backend, voucher):
    """The journal item values (``(0, 0, values)``) of a journal voucher
    there: each ledger's line on the Odoo account the chart of accounts pull
    linked to it, or a customer's ledger on that customer's receivable."""
    Binding = backend.env["sme.accounting.binding"]
    lines = []
    for line in voucher.lines:
        account = Binding._linked_record(backend, "account.account", line.account)
        values = {
            "name": voucher.narration or voucher.number,
            "debit": line.amount if line.debit else 0.0,
            "credit": 0.0 if line.debit else line.amount,
        }
        if account:
            values["account_id"] = account.id
        else:
            partner = Binding._linked_record(
                backend, "res.partner", line.account
            ).with_context(force_company=backend.company_id.id)
            if not partner:
                raise UserError(
                    _(
                        "ledger '%s' is not linked to an Odoo account: pull the chart of "
                        "accounts first"
                    )
                    % line.account
                )
            values.update(
                partner_id=partner.id,
                account_id=partner.property_account_receivable_id.id,
            )
        lines.append((0, 0, values))
    return lines
