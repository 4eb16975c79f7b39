# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The trial balance there, side by side with Odoo's balances of the same
accounts (and customers) on the same date."""
from datetime import date

from odoo import _, fields

from .unit import SyncUnit


class TrialBalanceSync(SyncUnit):

    entity = "trial_balance"
    model = "sme.accounting.trial.balance"

    def pull(self, run, date_to=None):
        date_to = date_to or fields.Date.context_today(self.backend)
        day = fields.Date.from_string(date_to)
        date_from = date(
            day.year if day.month >= 4 else day.year - 1, 4, 1
        )  # Indian financial year
        rows = self.backend._connector().trial_balance(
            fields.Date.to_string(date_from), date_to
        )
        snapshot = (
            self.env["sme.accounting.trial.balance"]
            .sudo()
            .create(
                {
                    "backend_id": self.backend.id,
                    "date_from": fields.Date.to_string(date_from),
                    "date_to": date_to,
                    "line_ids": [
                        (0, 0, self._trial_balance_line(row, date_to)) for row in rows
                    ],
                }
            )
        )
        run.count("created")
        return _("Trial balance to %s: %d accounts, %d differ from Odoo") % (
            date_to,
            len(snapshot.line_ids),
            len(snapshot.line_ids.filtered("differs")),
        )

    def _trial_balance_line(self, row, date_to):
        """One remote row, with Odoo's own balance of the same account (or
        customer) on the same date."""
        Binding = self.env["sme.accounting.binding"]
        account = Binding._linked_record(self.backend, "account.account", row.account)
        partner = not account and Binding._linked_record(
            self.backend, "res.partner", row.account
        )
        domain = [
            ("company_id", "=", self.backend.company_id.id),
            ("move_id.state", "=", "posted"),
            ("date", "<=", date_to),
        ]
        if account:
            domain.append(("account_id", "=", account.id))
        elif partner:
            domain += [
                ("partner_id", "=", partner.id),
                ("account_id.internal_type", "=", "receivable"),
            ]
        odoo_debit = odoo_credit = 0.0
        if account or partner:
            lines = (
                self.env["account.move.line"]
                .sudo()
                .read_group(domain, ["debit", "credit"], [])
            )
            odoo_debit, odoo_credit = (
                lines[0]["debit"] or 0.0,
                lines[0]["credit"] or 0.0,
            )
        return {
            "name": row.account,
            "remote_debit": row.debit,
            "remote_credit": row.credit,
            "account_id": account.id if account else False,
            "partner_id": partner.id if partner else False,
            "matched": bool(account or partner),
            "odoo_debit": odoo_debit,
            "odoo_credit": odoo_credit,
        }
