import re
from datetime import date

from odoo import _, api, fields, models

from ..sync.batch import import_batch

# Tally's standard groups → Odoo account types (xml ids), nearest group first.
GROUP_TYPES = {
    "Bank Accounts": "account.data_account_type_liquidity",
    "Cash-in-Hand": "account.data_account_type_liquidity",
    "Bank OD A/c": "account.data_account_type_credit_card",
    "Duties & Taxes": "account.data_account_type_current_liabilities",
    "Capital Account": "account.data_account_type_equity",
    "Reserves & Surplus": "account.data_account_type_equity",
    "Sales Accounts": "account.data_account_type_revenue",
    "Direct Incomes": "account.data_account_type_revenue",
    "Indirect Incomes": "account.data_account_type_other_income",
    "Purchase Accounts": "account.data_account_type_direct_costs",
    "Direct Expenses": "account.data_account_type_direct_costs",
    "Indirect Expenses": "account.data_account_type_expenses",
    "Fixed Assets": "account.data_account_type_fixed_assets",
    "Loans (Liability)": "account.data_account_type_non_current_liabilities",
    "Current Assets": "account.data_account_type_current_assets",
    "Current Liabilities": "account.data_account_type_current_liabilities",
}
# Zoho Books' account types.
GROUP_TYPES.update({
    "income": "account.data_account_type_revenue",
    "other_income": "account.data_account_type_other_income",
    "expense": "account.data_account_type_expenses",
    "other_expense": "account.data_account_type_expenses",
    "cost_of_goods_sold": "account.data_account_type_direct_costs",
    "bank": "account.data_account_type_liquidity",
    "cash": "account.data_account_type_liquidity",
    "other_current_asset": "account.data_account_type_current_assets",
    "fixed_asset": "account.data_account_type_fixed_assets",
    "equity": "account.data_account_type_equity",
    "other_current_liability": "account.data_account_type_current_liabilities",
    "long_term_liability": "account.data_account_type_non_current_liabilities",
})
# QuickBooks Online's account types.
GROUP_TYPES.update({
    "Income": "account.data_account_type_revenue",
    "Other Income": "account.data_account_type_other_income",
    "Expense": "account.data_account_type_expenses",
    "Other Expense": "account.data_account_type_expenses",
    "Cost of Goods Sold": "account.data_account_type_direct_costs",
    "Bank": "account.data_account_type_liquidity",
    "Credit Card": "account.data_account_type_credit_card",
    "Other Current Asset": "account.data_account_type_current_assets",
    "Fixed Asset": "account.data_account_type_fixed_assets",
    "Other Asset": "account.data_account_type_non_current_assets",
    "Equity": "account.data_account_type_equity",
    "Other Current Liability": "account.data_account_type_current_liabilities",
    "Long Term Liability": "account.data_account_type_non_current_liabilities",
})
# Parties are partners in Odoo, not accounts (Tally groups, Zoho and QuickBooks types).
PARTY_GROUPS = ("Sundry Debtors", "Sundry Creditors", "accounts_receivable", "accounts_payable",
                "Accounts Receivable", "Accounts Payable")


class SmeAccountingBackend(models.Model):
    """Chart of accounts in, and the trial balance snapshot."""

    _inherit = "sme.accounting.backend"

    @api.multi
    def _pull_accounts(self, run):
        Binding = self.env["sme.accounting.binding"]
        Account = self.env["account.account"].sudo()

        def import_one(remote):
            if any(group in PARTY_GROUPS for group in remote.groups):
                return None  # customers' and suppliers' ledgers are parties, not accounts
            binding = Binding._find(self, "account.account", remote.external_id)
            account = binding.record() if binding else self._matching_account(remote)
            outcome = "skipped" if account else "created"
            if not account:
                account = Account.create({
                    "name": remote.name, "code": self._free_account_code(remote.code),
                    "user_type_id": self._account_type(remote.groups).id,
                    "company_id": self.company_id.id,
                    "reconcile": False,
                })
                run.note(remote.external_id, _(
                    "No Odoo account matched '%s' by code, name or type: created account %s. If Odoo "
                    "keeps it under another name, set it in Ledger mapping or link it in Linked records.")
                    % (remote.name, account.code))
            Binding._bind(self, account, remote.external_id, external_name=remote.name,
                          external_version=str(remote.version or ""))
            return outcome
        import_batch(self, run, "accounts", self._connector().iter_accounts(), import_one,
                     lambda remote: remote.name, cursor=False)

    @api.multi
    def _matching_account(self, remote):
        """The company's own account for a pulled one, so that balances meet
        in the trial balance instead of landing on a new empty account: the
        same code, else the same name, else the only account of its type
        not linked yet that shares a word with it ("Sales" and "Product
        Sales"; a type alone would pair unrelated accounts)."""
        Account = self.env["account.account"].sudo()
        linked = set(self.env["sme.accounting.binding"].sudo().search(
            [("backend_id", "=", self.id), ("model", "=", "account.account")]).mapped("res_id"))
        company = [("company_id", "=", self.company_id.id), ("deprecated", "=", False)]
        for domain in ([("code", "=", remote.code)] if remote.code else [], [("name", "=ilike", remote.name)]):
            if domain:
                found = Account.search(company + domain).filtered(lambda a: a.id not in linked)
                if found:
                    return found[0]
        typed = [group for group in remote.groups or () if group in GROUP_TYPES]
        if typed:
            same_type = Account.search(company + [("user_type_id", "=", self._account_type(typed).id)]).filtered(
                lambda a: a.id not in linked)
            if len(same_type) == 1 and _words(same_type.name) & _words(remote.name):
                return same_type
        return Account.browse()

    @api.multi
    def _account_type(self, groups):
        for group in groups:
            if group in GROUP_TYPES:
                return self.env.ref(GROUP_TYPES[group])
        return self.env.ref("account.data_account_type_current_assets")

    @api.multi
    def _free_account_code(self, wanted=None):
        """The system's own code when Odoo does not use it yet, else T0001,
        T0002...: Tally ledgers have no codes; Odoo needs one."""
        Account = self.env["account.account"].sudo()
        if wanted and not Account.search_count([("company_id", "=", self.company_id.id), ("code", "=", wanted)]):
            return wanted
        taken = set(Account.search(
            [("company_id", "=", self.company_id.id), ("code", "=like", "T%")]).mapped("code"))
        number = 1
        while "T%04d" % number in taken:
            number += 1
        return "T%04d" % number

    # ------------------------------------------------------------------
    # Trial balance
    # ------------------------------------------------------------------
    @api.multi
    def _pull_trial_balance(self, run, date_to=None):
        date_to = date_to or fields.Date.context_today(self)
        day = fields.Date.from_string(date_to)
        date_from = date(day.year if day.month >= 4 else day.year - 1, 4, 1)  # Indian financial year
        rows = self._connector().trial_balance(fields.Date.to_string(date_from), date_to)
        snapshot = self.env["sme.accounting.trial.balance"].sudo().create({
            "backend_id": self.id, "date_from": fields.Date.to_string(date_from), "date_to": date_to,
            "line_ids": [(0, 0, self._trial_balance_line(row, date_to)) for row in rows],
        })
        run.count("created")
        return _("Trial balance to %s: %d accounts, %d differ from Odoo") % (
            date_to, len(snapshot.line_ids), len(snapshot.line_ids.filtered("differs")))

    @api.multi
    def _trial_balance_line(self, row, date_to):
        """One remote row, with Odoo's own balance of the same account (or
        customer) on the same date."""
        Binding = self.env["sme.accounting.binding"]
        account = Binding._linked_record(self, "account.account", row.account)
        partner = not account and Binding._linked_record(self, "res.partner", row.account)
        domain = [("company_id", "=", self.company_id.id), ("move_id.state", "=", "posted"),
                  ("date", "<=", date_to)]
        if account:
            domain.append(("account_id", "=", account.id))
        elif partner:
            domain += [("partner_id", "=", partner.id), ("account_id.internal_type", "=", "receivable")]
        odoo_debit = odoo_credit = 0.0
        if account or partner:
            lines = self.env["account.move.line"].sudo().read_group(domain, ["debit", "credit"], [])
            odoo_debit, odoo_credit = lines[0]["debit"] or 0.0, lines[0]["credit"] or 0.0
        return {
            "name": row.account, "remote_debit": row.debit, "remote_credit": row.credit,
            "account_id": account.id if account else False, "partner_id": partner.id if partner else False,
            "matched": bool(account or partner),
            "odoo_debit": odoo_debit, "odoo_credit": odoo_credit,
        }


def _words(name):
    return {word for word in re.findall(r"[a-z]{3,}", (name or "").lower())}
