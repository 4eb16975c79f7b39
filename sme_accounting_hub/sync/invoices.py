# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Invoices and credit notes both ways: sales vouchers there <-> validated
customer invoices here."""
import re

from odoo import _, fields
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .. import mapping
from ..models.sme_accounting_binding import payload_hash
from .batch import import_batch
from .customers import CustomerSync
from .vouchers import VoucherSync

VOUCHER_INVOICE_TYPES = {"sales": "out_invoice", "credit_note": "out_refund"}
# A voucher line on a tax ledger, by its name where the backend's mapping
# does not name it: "CGST", "Output SGST", Zoho's "IGST18", QuickBooks'
# "Tax"; but not a sales ledger that names its tax ("Interstate Sale (IGST)
# @18%", "GST Sales").
TAX_LEDGER = re.compile(r"(?i)(?<![a-z])(?:[csiu]t?gst|gst|cess|vat|tax)(?![a-z])")
NOT_TAX_LEDGER = re.compile(
    r"(?i)(?<![a-z])(?:sales?|purchases?|income|expenses?)(?![a-z])"
)
IGST_LEDGER = re.compile(r"(?i)(?<![a-z])igst(?![a-z])")
# Round-off ledgers ("Round Off", "Rounding Off", "Rounded Off"): what makes
# a total whole rupees, without tax.
ROUNDING_LEDGER = re.compile(r"(?i)\bround")


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
        lines, party_total = self._voucher_invoice_lines(voucher)
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

    def _voucher_invoice_lines(self, voucher):
        """``(invoice line values, what the customer owes)`` of a sales
        voucher or credit note: a line per item where the voucher has items
        (Tally's invoice view, Marg, Zoho, QuickBooks), else a line per
        sales ledger (Tally's accounting view, Busy). Odoo's tax on each is
        IGST when the voucher's tax lines are IGST (an inter-state sale),
        CGST + SGST when they are not. A total Odoo does not reach is
        refused by the caller, never lost."""
        party_lines = [
            line for line in voucher.lines or () if line.account == voucher.party
        ]
        party_debit = party_lines[0].debit if party_lines else voucher.kind == "sales"

        def owed(line):
            """What a line adds to what the customer owes (a credit note's the
            other way round)."""
            return line.amount if line.debit != party_debit else -line.amount

        others = [line for line in voucher.lines or () if line.account != voucher.party]
        taxes = [line for line in others if self._is_tax_ledger(line.account)]
        untaxed_candidates = [line for line in others if line not in taxes]
        inter_state = (
            any(self._is_igst_ledger(line.account) for line in taxes) if taxes else None
        )
        if voucher.items:
            items_total = round(
                sum(item.amount + item.tax_amount for item in voucher.items), 2
            )
            party_total = (
                sum(line.amount for line in party_lines) if party_lines else items_total
            )
            lines = [
                self._invoice_line(
                    item.name,
                    item.quantity,
                    item.amount,
                    item.tax_amount,
                    inter_state=inter_state,
                )
                for item in voucher.items
            ]
            # What no item accounts for is one of the voucher's own lines:
            # its round-off (TallyPrime's "Round Off" of 0.10 to whole
            # rupees), else the one line worth exactly the difference
            # (freight, Zoho's adjustment); booked without tax.
            rest = round(party_total - items_total, 2)
            if rest:
                rounding = [
                    line
                    for line in untaxed_candidates
                    if ROUNDING_LEDGER.search(line.account or "")
                ]
                exact = [
                    line
                    for line in untaxed_candidates
                    if not float_compare(owed(line), rest, precision_digits=2)
                ][:1]
                for extra in (rounding, exact):
                    if extra and not float_compare(
                        sum(map(owed, extra)), rest, precision_digits=2
                    ):
                        lines += [
                            self._invoice_line(
                                line.account,
                                1,
                                owed(line),
                                0.0,
                                account_ledger=line.account,
                            )
                            for line in extra
                        ]
                        break
            return lines, party_total
        # Without items: every sales ledger of the voucher (companies keep
        # several, "Local Sale @18%", "Interstate Sale (IGST) @18%", not
        # only the one the mapping names) shares the tax lines in
        # proportion; round-offs and lines that lower the total (a
        # discount) go without tax.
        untaxed = [
            line
            for line in untaxed_candidates
            if ROUNDING_LEDGER.search(line.account or "") or owed(line) < 0
        ]
        sales = {}
        for line in untaxed_candidates:
            if line not in untaxed:
                sales[line.account] = sales.get(line.account, 0.0) + owed(line)
        if not sales:
            raise UserError(
                _("no line on a sales ledger (the mapping names '%s')")
                % self.backend.settings_ref.sales_ledger
            )
        tax_total = round(sum(owed(line) for line in taxes), 2)
        lines, shared = [], 0.0
        for index, (ledger, base) in enumerate(sorted(sales.items())):
            last = index == len(sales) - 1
            tax = (
                round(tax_total - shared, 2)
                if last
                else round(tax_total * base / sum(sales.values()), 2)
            )
            shared += tax
            name = (
                (voucher.narration or _("Voucher %s") % voucher.number)
                if len(sales) == 1
                else ledger
            )
            lines.append(
                self._invoice_line(
                    name, 1, base, tax, account_ledger=ledger, inter_state=inter_state
                )
            )
        lines += [
            self._invoice_line(
                line.account, 1, owed(line), 0.0, account_ledger=line.account
            )
            for line in untaxed
        ]
        return lines, sum(line.amount for line in party_lines)

    def _is_tax_ledger(self, name):
        """A GST (or other tax) ledger: one the mapping names, or named so."""
        ledgers = self.backend.settings_ref
        mapped = {
            ledgers.cgst_ledger,
            ledgers.sgst_ledger,
            ledgers.igst_ledger,
            ledgers.other_tax_ledger,
        } - {False, None, ""}
        return name in mapped or bool(
            name and TAX_LEDGER.search(name) and not NOT_TAX_LEDGER.search(name)
        )

    def _is_igst_ledger(self, name):
        return (name and name == self.backend.settings_ref.igst_ledger) or bool(
            name and IGST_LEDGER.search(name)
        )

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

    def _invoice_line(
        self, name, quantity, base, tax_amount, account_ledger=None, inter_state=None
    ):
        """An invoice line worth ``base`` before tax, with the company's sale
        tax that gives ``tax_amount`` on it, on the Odoo account linked to
        ``account_ledger`` when the chart of accounts was pulled (else the
        income account)."""
        quantity = quantity or 1
        account = account_ledger and self.env["sme.accounting.binding"]._linked_record(
            self.backend, "account.account", account_ledger
        )
        return {
            "name": name,
            "quantity": quantity,
            "price_unit": base / quantity,
            "account_id": (account or self._income_account()).id,
            "invoice_line_tax_ids": [
                (6, 0, self._tax_for(base, tax_amount, inter_state).ids)
            ],
        }

    def _tax_for(self, base, tax_amount, inter_state=None):
        """The company's sale tax with the rate the voucher's tax lines imply:
        IGST for an inter-state sale, CGST + SGST (a group) within the state,
        a group first when the voucher does not say."""
        Tax = self.env["account.tax"].sudo()
        if not base or float_compare(tax_amount, 0.0, precision_digits=2) <= 0:
            return Tax.browse()
        rate = round(100.0 * tax_amount / base, 2)
        candidates = Tax.search(
            [
                ("company_id", "=", self.backend.company_id.id),
                ("type_tax_use", "=", "sale"),
            ]
        )

        def preference(tax):
            igst = bool(IGST_LEDGER.search(tax.name or ""))
            return (
                (not igst) if inter_state else igst if inter_state is False else False,
                tax.amount_type != "group",
                tax.sequence,
            )

        for tax in candidates.sorted(preference):
            computed = tax.compute_all(base)
            if (
                float_compare(
                    computed["total_included"] - computed["total_excluded"],
                    tax_amount,
                    precision_digits=2,
                )
                == 0
            ):
                return tax
        raise UserError(
            _("no sale tax of this company gives %.2f on %.2f (%.2f%%)")
            % (tax_amount, base, rate)
        )

    def _income_account(self):
        account = self.env["sme.accounting.binding"]._linked_record(
            self.backend, "account.account", self.backend.settings_ref.sales_ledger
        )
        if account:
            return account
        prop = (
            self.env["ir.property"]
            .with_context(force_company=self.backend.company_id.id)
            .get("property_account_income_categ_id", "product.category")
        )
        if not prop:
            raise UserError(_("no income account: pull the chart of accounts first"))
        return prop

    def push(self, invoice, run):
        party = CustomerSync(self.backend).party(invoice.partner_id, run)
        voucher = mapping.voucher_from_invoice(
            invoice, self.backend, party.external_name
        )
        return self._export_voucher(
            invoice, voucher._replace(party_id=party.external_id), run
        )
