# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payments both ways: receipts there <-> posted customer payments here,
reconciled with the invoices they paid."""
from odoo import _
from odoo.exceptions import UserError

from sme_connectors.base import receipt_allocation

from ..mappers.payments import payment_values_from_receipt, voucher_from_payment
from .batch import IMPORT_CONTEXT
from .customers import CustomerSync
from .vouchers import VoucherSync


class PaymentSync(VoucherSync):

    entity = "payments"
    model = "account.payment"

    def pull(self, run):
        self._pull_kinds(
            "payments", ("receipt",), "account.payment", self._import_receipt, run
        )

    def _import_receipt(self, client, voucher, run):
        party = [
            line
            for line in voucher.lines
            if line.account == voucher.party and not line.debit
        ]
        if not party:
            raise UserError(
                _("no credit line on its party ledger '%s'") % voucher.party
            )
        partner = self._partner_for_ledger(client, voucher.party, run)
        # force_company: the partner's receivable account is a per-company property.
        payment = (
            self.env["account.payment"]
            .with_context(force_company=self.backend.company_id.id, **IMPORT_CONTEXT)
            .sudo()
            .create(payment_values_from_receipt(self.backend, voucher, partner, party))
        )
        payment.post()
        self._apply_receipt(payment, voucher)
        return payment

    def _apply_receipt(self, payment, voucher):
        """Reconcile the payment with the invoices it paid there, each with
        the amount applied to it (a partial payment leaves the invoice
        partly paid). Explicit allocations (Zoho, QuickBooks) must find their
        invoices in Odoo, else the payment waits for the next pull; bill
        references (Tally) that name no Odoo invoice leave that part
        unapplied, as an advance."""
        if voucher.allocations:
            shares = []
            for allocation in voucher.allocations:
                invoice = self._invoice_paid_by(
                    payment.partner_id,
                    allocation.invoice_external_id,
                    allocation.invoice_number,
                )
                if not invoice:
                    raise UserError(
                        _(
                            "invoice %s that it pays is not in Odoo yet: pull invoices first"
                        )
                        % (allocation.invoice_number or allocation.invoice_external_id)
                    )
                shares.append((invoice, allocation.amount))
        else:
            _amount, shares = receipt_allocation(
                voucher,
                lambda number: [
                    (invoice, invoice.residual)
                    for invoice in self._invoice_paid_by(
                        payment.partner_id, None, number
                    )
                    if invoice.state == "open"
                ],
            )
        counterpart = payment.move_line_ids.filtered(
            lambda line: line.credit and line.account_id.reconcile
        )
        for invoice, share in shares:
            receivable = invoice.move_id.line_ids.filtered(
                lambda line: line.account_id == invoice.account_id
                and not line.reconciled
            )
            share = min(
                share, invoice.residual, -sum(counterpart.mapped("amount_residual"))
            )
            if (
                not receivable
                or share <= 0
                or counterpart.account_id != receivable.account_id
            ):
                continue
            self.env["account.partial.reconcile"].sudo().create(
                {
                    "debit_move_id": receivable[0].id,
                    "credit_move_id": counterpart[0].id,
                    "amount": round(share, 2),
                    "amount_currency": 0.0,
                    "currency_id": False,
                }
            )
        if shares:
            payment.sudo().write(
                {"invoice_ids": [(4, invoice.id) for invoice, _share in shares]}
            )

    def _invoice_paid_by(self, partner, external_id, number):
        """The Odoo invoice a payment names there, by its link, else by its number."""
        Binding = self.env["sme.accounting.binding"]
        binding = external_id and Binding._find(
            self.backend, "account.invoice", external_id
        )
        if binding:
            return binding.record()
        if not number:
            return self.env["account.invoice"]
        linked = Binding._linked_record(self.backend, "account.invoice", number)
        if linked:
            return linked
        return (
            self.env["account.invoice"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.backend.company_id.id),
                    ("type", "=", "out_invoice"),
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    "|",
                    ("number", "=", number),
                    ("reference", "=", number),
                ],
                limit=1,
            )
        )

    def push(self, payment, run):
        party = CustomerSync(self.backend).party(payment.partner_id, run)
        voucher = voucher_from_payment(payment, self.backend, party.external_name)
        return self._export_voucher(
            payment, voucher._replace(party_id=party.external_id), run
        )
