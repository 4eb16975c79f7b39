# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Invoices and credit notes both ways: sales vouchers there <-> validated
customer invoices here."""

from odoo import _, fields
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..mappers.invoices import InvoiceLines, voucher_from_invoice
from ..models.sme_accounting_binding import payload_hash
from .batch import import_batch
from .customers import CustomerSync
from .vouchers import VoucherSync

VOUCHER_INVOICE_TYPES = {"sales": "out_invoice", "credit_note": "out_refund"}


def voucher_content_hash(voucher):
    """What makes an invoice what it is, without the system's change
    markers: an edit there changes this, a payment applied does not."""
    return payload_hash(
        {
            "date": str(voucher.date),
            "party": voucher.party,
            "kind": voucher.kind,
            "lines": sorted([list(line[:3]) for line in voucher.lines or ()]),
            "items": [list(item) for item in voucher.items or ()],
        }
    )


class InvoiceSync(VoucherSync):
    """Sales vouchers and credit notes there become validated customer
    invoices here (an edited one replaces its invoice); invoices here go
    there as vouchers."""

    entity = "invoices"
    model = "account.invoice"

    def pull(self, run):
        client = self.backend._connector()
        since = run.read_point(self.backend, "invoices")

        def import_one(voucher):
            return (
                self._import_voucher(client, voucher, run)
                if voucher.kind in VOUCHER_INVOICE_TYPES
                else None
            )

        import_batch(
            self.backend,
            run,
            "invoices",
            client.iter_vouchers(kinds=list(VOUCHER_INVOICE_TYPES), since=since),
            import_one,
            lambda voucher: "%s %s" % (voucher.kind, voucher.number),
            since=since,
        )

    def _import_voucher(self, client, voucher, run):
        """Book a sales voucher or credit note as a validated invoice, once;
        when it was edited there since (its content changed, not only its
        change marker), the Odoo invoice is replaced the way an accountant
        would: reversed by a credit note, and a new invoice booked."""
        Binding = self.env["sme.accounting.binding"]
        if (voucher.remote_id or "").startswith("odoo-"):
            return "skipped"  # sent from Odoo: it is an Odoo invoice already
        binding = Binding._find(self.backend, "account.invoice", voucher.external_id)
        content = voucher_content_hash(voucher)
        if binding:
            if binding.payload_hash in (content, False, None):
                binding.write(
                    {
                        "external_version": str(voucher.version or ""),
                        "payload_hash": content,
                    }
                )
                # unchanged there (a payment applied moves the marker, not the content)
                return "skipped"
            self._check_bookable(voucher)
            self._reverse_edited_invoice(binding.record(), voucher)
        self._check_bookable(voucher)
        partner = self._partner_for_ledger(client, voucher.party, run, voucher.party_id)
        lines, party_total = InvoiceLines(self.backend).of(voucher)
        invoice = (
            self.env["account.invoice"]
            .with_context(
                sme_hub_importing=True,
                company_id=self.backend.company_id.id,
                type=VOUCHER_INVOICE_TYPES[voucher.kind],
            )
            .create(
                {
                    "type": VOUCHER_INVOICE_TYPES[voucher.kind],
                    "partner_id": partner.id,
                    "company_id": self.backend.company_id.id,
                    "date_invoice": voucher.date,
                    "reference": voucher.number,
                    "name": voucher.narration or voucher.number,
                    "invoice_line_ids": [(0, 0, line) for line in lines],
                }
            )
        )
        invoice.compute_taxes()
        if float_compare(invoice.amount_total, party_total, precision_digits=2):
            raise UserError(
                _(
                    "its total %.2f does not match Odoo's %.2f: check the tax ledgers mapping"
                )
                % (party_total, invoice.amount_total)
            )
        invoice.with_context(sme_hub_importing=True).sudo().action_invoice_open()
        values = {
            "odoo_id": invoice.id,
            "external_name": voucher.number,
            "external_version": str(voucher.version or ""),
            "payload_hash": content,
        }
        if binding:
            binding.write(dict(values, sync_date=fields.Datetime.now()))
            return "updated"
        Binding._bind(self.backend, invoice, voucher.external_id, **values)
        return "created"

    def _reverse_edited_invoice(self, invoice, voucher):
        """Cancel the Odoo side of an invoice edited there: a credit note for
        its whole amount, reconciled with it. An invoice already paid in
        Odoo is not touched: a person decides."""
        if not invoice or invoice.state == "cancel":
            return
        if invoice.state != "open" or float_compare(
            invoice.residual, invoice.amount_total, precision_digits=2
        ):
            raise UserError(
                _(
                    "it was edited there after it was paid in Odoo (%s): change the "
                    "Odoo invoice by hand, or undo the payment first"
                )
                % invoice.number
            )
        refund = (
            invoice.with_context(sme_hub_importing=True)
            .sudo()
            .refund(
                date_invoice=voucher.date,
                date=voucher.date,
                description=_("Replaced: %s was edited in the accounting system")
                % voucher.number,
                journal_id=invoice.journal_id.id,
            )
        )
        refund.with_context(sme_hub_importing=True).action_invoice_open()
        (invoice.move_id.line_ids | refund.move_id.line_ids).filtered(
            lambda line: line.account_id == invoice.account_id and not line.reconciled
        ).reconcile()

    def push(self, invoice, run):
        party = CustomerSync(self.backend).party(invoice.partner_id, run)
        voucher = voucher_from_invoice(invoice, self.backend, party.external_name)
        return self._export_voucher(
            invoice, voucher._replace(party_id=party.external_id), run
        )
