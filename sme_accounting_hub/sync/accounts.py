# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The chart of accounts in: each account there meets the company's own
(code, name, type) or becomes a new one."""
import re

from odoo import _

from .batch import import_batch
from .unit import SyncUnit

# Kinds of accounts that are parties (customers, suppliers): partners in Odoo, not accounts.
PARTY_KINDS = ("receivable", "payable")


class AccountSync(SyncUnit):

    entity = "accounts"
    model = "account.account"

    def pull(self, run):
        Binding = self.env["sme.accounting.binding"]
        Account = self.env["account.account"].sudo()

        def import_one(remote):
            if self._kind(remote.groups) in PARTY_KINDS:
                return (
                    None  # customers' and suppliers' ledgers are parties, not accounts
                )
            binding = Binding._find(self.backend, "account.account", remote.external_id)
            account = binding.record() if binding else self._matching_account(remote)
            outcome = "skipped" if account else "created"
            if not account:
                account = Account.create(
                    {
                        "name": remote.name,
                        "code": self._free_account_code(remote.code),
                        "user_type_id": self._account_type(remote.groups).id,
                        "company_id": self.backend.company_id.id,
                        "reconcile": False,
                    }
                )
                run.note(
                    remote.external_id,
                    _(
                        "No Odoo account matched '%s' by code, name or type: created "
                        "account %s. If Odoo keeps it under another name, set it in "
                        "Ledger mapping or link it in Linked records."
                    )
                    % (remote.name, account.code),
                )
            Binding._bind(
                self.backend,
                account,
                remote.external_id,
                external_name=remote.name,
                external_version=str(remote.version or ""),
            )
            return outcome

        import_batch(
            self.backend,
            run,
            "accounts",
            self.backend._connector().iter_accounts(),
            import_one,
            lambda remote: remote.name,
            cursor=False,
        )

    def _matching_account(self, remote):
        """The company's own account for a pulled one, so that balances meet
        in the trial balance instead of landing on a new empty account: the
        same code, else the same name, else the only account of its type
        not linked yet that shares a word with it ("Sales" and "Product
        Sales"; a type alone would pair unrelated accounts)."""
        Account = self.env["account.account"].sudo()
        linked = set(
            self.env["sme.accounting.account.binding"]
            .sudo()
            .search([("backend_id", "=", self.backend.id)])
            .mapped("odoo_id")
            .ids
        )
        company = [
            ("company_id", "=", self.backend.company_id.id),
            ("deprecated", "=", False),
        ]
        for domain in (
            [("code", "=", remote.code)] if remote.code else [],
            [("name", "=ilike", remote.name)],
        ):
            if domain:
                found = Account.search(company + domain).filtered(
                    lambda a: a.id not in linked
                )
                if found:
                    return found[0]
        if self._kind(remote.groups):
            same_type = Account.search(
                company + [("user_type_id", "=", self._account_type(remote.groups).id)]
            ).filtered(lambda a: a.id not in linked)
            if len(same_type) == 1 and _words(same_type.name) & _words(remote.name):
                return same_type
        return Account.browse()

    def _kind(self, groups):
        """The neutral kind of an account there (see the connector's
        ``account_kinds``) from its groups, nearest first; None if unknown."""
        kinds = self.backend._client_class().account_kinds
        return next((kinds[group] for group in groups or () if group in kinds), None)

    def _account_type(self, groups):
        """Odoo's account type for an account there: the neutral kinds are
        named after Odoo's types (account.data_account_type_<kind>)."""
        return self.env.ref(
            "account.data_account_type_%s" % (self._kind(groups) or "current_assets")
        )

    def _free_account_code(self, wanted=None):
        """The system's own code when Odoo does not use it yet, else T0001,
        T0002...: Tally ledgers have no codes; Odoo needs one."""
        Account = self.env["account.account"].sudo()
        if wanted and not Account.search_count(
            [("company_id", "=", self.backend.company_id.id), ("code", "=", wanted)]
        ):
            return wanted
        taken = set(
            Account.search(
                [
                    ("company_id", "=", self.backend.company_id.id),
                    ("code", "=like", "T%"),
                ]
            ).mapped("code")
        )
        number = 1
        while "T%04d" % number in taken:
            number += 1
        return "T%04d" % number


def _words(name):
    return {word for word in re.findall(r"[a-z]{3,}", (name or "").lower())}
