# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journal and bank entries both ways: journal vouchers there <-> posted
entries here; payment and contra vouchers there -> the bank journal; the
entry of a reconciled bank statement line here -> a voucher there."""
from odoo import _
from odoo.exceptions import UserError

from ..mappers.journal_entries import (
    move_lines_from_voucher,
    voucher_from_bank_move,
    voucher_from_move,
)
from .batch import IMPORT_CONTEXT
from .customers import CustomerSync
from .vouchers import VoucherSync


def move_entity(move):
    """How a posted entry travels: None for invoices' and registered
    payments' entries (they go as their own vouchers), 'bank' for the entry
    of a reconciled bank statement line, else 'journals'."""
    lines = move.line_ids
    if lines.filtered("invoice_id"):
        return None
    if lines.mapped("statement_line_id"):
        return "bank"
    if lines.filtered("payment_id"):
        return None
    return "journals"


class JournalSync(VoucherSync):

    entity = "journals"
    model = "account.move"

    def pull(self, run):
        self._pull_kinds(
            "journals", ("journal",), "account.move", self._import_journal, run
        )

    def _import_journal(self, client, voucher, run, journal_type="general"):
        lines = move_lines_from_voucher(self.backend, voucher)
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.backend.company_id.id),
                    ("type", "=", journal_type),
                ],
                limit=1,
            )
        )
        if not journal:
            raise UserError(_("the company has no %s journal") % journal_type)
        move = (
            self.env["account.move"]
            .with_context(force_company=self.backend.company_id.id, **IMPORT_CONTEXT)
            .sudo()
            .create(
                {
                    "journal_id": journal.id,
                    "date": voucher.date,
                    "ref": voucher.number,
                    "line_ids": lines,
                }
            )
        )
        move.post()
        return move

    def push(self, move, run):
        if move_entity(move) == "bank":

            def ledger_for_line(line):
                if line.partner_id and line.account_id.internal_type == "receivable":
                    return CustomerSync(self.backend).party_name(line.partner_id, run)
                return line.account_id.name

            return self._export_voucher(
                move,
                voucher_from_bank_move(move, self.backend, ledger_for_line),
                run,
            )
        return self._export_voucher(move, voucher_from_move(move), run)


class BankSync(JournalSync):
    """Money out of, or between, bank and cash ledgers."""

    entity = "bank"

    def pull(self, run):
        """Payment and Contra vouchers (money out of, or between, bank and
        cash ledgers) become posted entries in the bank journal."""
        self._pull_kinds(
            "bank",
            ("payment", "contra"),
            "account.move",
            lambda client, voucher, run: self._import_journal(
                client, voucher, run, "bank"
            ),
            run,
        )
