from odoo import _, api, models
from odoo.exceptions import UserError

from ..connectors.base import receipt_allocation
from ..sync.batch import import_batch
from .sme_accounting_backend_jobs import IMPORT_CONTEXT


class SmeAccountingBackend(models.Model):
    """Receipts and journal vouchers booked in the accounting system come in
    as posted customer payments and journal entries."""

    _inherit = "sme.accounting.backend"

    @api.multi
    def _pull_vouchers_of_kind(self, entity, kinds, model_name, importer, run):
        client = self._connector()
        since = run.read_point(self, entity)
        Binding = self.env["sme.accounting.binding"]

        def import_one(voucher):
            if voucher.kind not in kinds:
                return None
            if (voucher.remote_id or "").startswith("odoo-") or Binding._find(self, model_name, voucher.external_id):
                return "skipped"  # sent from Odoo, or already booked
            self._check_bookable(voucher)
            record = importer(client, voucher, run)
            Binding._bind(self, record, voucher.external_id, external_name=voucher.number,
                          external_version=str(voucher.version or ""))
            return "created"
        import_batch(self, run, entity, client.iter_vouchers(after_alter_id=since, kinds=list(kinds)), import_one,
                     lambda voucher: "%s %s" % (voucher.kind, voucher.number), since=since)

    @api.multi
    def _pull_payments(self, run):
        self._pull_vouchers_of_kind("payments", ("receipt",), "account.payment", self._import_receipt, run)

    @api.multi
    def _pull_journals(self, run):
        self._pull_vouchers_of_kind("journals", ("journal",), "account.move", self._import_journal, run)

    @api.multi
    def _pull_bank(self, run):
        """Payment and Contra vouchers (money out of, or between, bank and
        cash ledgers) become posted entries in the bank journal."""
        self._pull_vouchers_of_kind("bank", ("payment", "contra"), "account.move",
                                    lambda client, voucher, run: self._import_journal(client, voucher, run, "bank"),
                                    run)

    @api.multi
    def _import_receipt(self, client, voucher, run):
        party = [line for line in voucher.lines if line.account == voucher.party and not line.debit]
        if not party:
            raise UserError(_("no credit line on its party ledger '%s'") % voucher.party)
        partner = self._partner_for_ledger(client, voucher.party, run)
        cash = any(line.debit and "cash" in (line.account or "").lower() for line in voucher.lines)
        journal = self.env["account.journal"].sudo().search(
            [("company_id", "=", self.company_id.id), ("type", "=", "cash" if cash else "bank")], limit=1)
        if not journal:
            raise UserError(_("the company has no %s journal") % ("cash" if cash else "bank"))
        # force_company: the partner's receivable account is a per-company property.
        payment = self.env["account.payment"].with_context(
            force_company=self.company_id.id, **IMPORT_CONTEXT).sudo().create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": partner.id,
            "amount": sum(line.amount for line in party), "journal_id": journal.id,
            "payment_date": voucher.date, "communication": voucher.number,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
        })
        payment.post()
        self._apply_receipt(payment, voucher)
        return payment

    @api.multi
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
                invoice = self._invoice_paid_by(payment.partner_id, allocation.invoice_external_id,
                                                allocation.invoice_number)
                if not invoice:
                    raise UserError(_("invoice %s that it pays is not in Odoo yet: pull invoices first") % (
                        allocation.invoice_number or allocation.invoice_external_id))
                shares.append((invoice, allocation.amount))
        else:
            _amount, shares = receipt_allocation(voucher, lambda number: [
                (invoice, invoice.residual) for invoice in
                self._invoice_paid_by(payment.partner_id, None, number) if invoice.state == "open"])
        counterpart = payment.move_line_ids.filtered(lambda line: line.credit and line.account_id.reconcile)
        for invoice, share in shares:
            receivable = invoice.move_id.line_ids.filtered(
                lambda line: line.account_id == invoice.account_id and not line.reconciled)
            share = min(share, invoice.residual, -sum(counterpart.mapped("amount_residual")))
            if not receivable or share <= 0 or counterpart.account_id != receivable.account_id:
                continue
            self.env["account.partial.reconcile"].sudo().create({
                "debit_move_id": receivable[0].id, "credit_move_id": counterpart[0].id,
                "amount": round(share, 2), "amount_currency": 0.0, "currency_id": False})
        if shares:
            payment.sudo().write({"invoice_ids": [(4, invoice.id) for invoice, _share in shares]})

    @api.multi
    def _invoice_paid_by(self, partner, external_id, number):
        """The Odoo invoice a payment names there, by its link, else by its number."""
        Binding = self.env["sme.accounting.binding"]
        binding = external_id and Binding._find(self, "account.invoice", external_id)
        if binding:
            return binding.record()
        if not number:
            return self.env["account.invoice"]
        linked = Binding._linked_record(self, "account.invoice", number)
        if linked:
            return linked
        return self.env["account.invoice"].sudo().search([
            ("company_id", "=", self.company_id.id), ("type", "=", "out_invoice"),
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            "|", ("number", "=", number), ("reference", "=", number)], limit=1)

    @api.multi
    def _import_journal(self, client, voucher, run, journal_type="general"):
        Binding = self.env["sme.accounting.binding"]
        lines = []
        for line in voucher.lines:
            account = Binding._linked_record(self, "account.account", line.account)
            values = {"name": voucher.narration or voucher.number, "debit": line.amount if line.debit else 0.0,
                      "credit": 0.0 if line.debit else line.amount}
            if account:
                values["account_id"] = account.id
            else:
                partner = Binding._linked_record(self, "res.partner", line.account).with_context(
                    force_company=self.company_id.id)
                if not partner:
                    raise UserError(_("ledger '%s' is not linked to an Odoo account: pull the chart of "
                                      "accounts first") % line.account)
                values.update(partner_id=partner.id, account_id=partner.property_account_receivable_id.id)
            lines.append((0, 0, values))
        journal = self.env["account.journal"].sudo().search(
            [("company_id", "=", self.company_id.id), ("type", "=", journal_type)], limit=1)
        if not journal:
            raise UserError(_("the company has no %s journal") % journal_type)
        move = self.env["account.move"].with_context(force_company=self.company_id.id, **IMPORT_CONTEXT).sudo().create({
            "journal_id": journal.id, "date": voucher.date, "ref": voucher.number, "line_ids": lines})
        move.post()
        return move
