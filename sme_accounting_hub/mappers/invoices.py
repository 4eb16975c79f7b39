# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Invoices both ways: an Odoo customer invoice or credit note -> a sales
voucher (credit note) there; a voucher there -> the invoice lines Odoo books
(taxes found by the rate the voucher's tax lines imply, accounts by the
ledgers the chart of accounts pull linked)."""
import re

from odoo import _
from odoo.exceptions import UserError
from odoo.tools import float_compare

from sme_connectors.base import Voucher, VoucherItem, VoucherLine

from .vouchers import remote_id

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


def _tax_ledger(backend, tax_name):
    upper, ledgers = (tax_name or "").upper(), backend.settings_ref
    for marker, ledger in (
        ("CGST", ledgers.cgst_ledger),
        ("SGST", ledgers.sgst_ledger),
        ("IGST", ledgers.igst_ledger),
    ):
        if marker in upper and ledger:
            return ledger
    return ledgers.other_tax_ledger


def voucher_from_invoice(invoice, backend, party_name):
    """A sales voucher (credit note for refunds): party debited with the
    total, sales and tax ledgers credited; reversed for a credit note."""
    is_refund = invoice.type == "out_refund"
    party_debit = not is_refund
    lines = [VoucherLine(party_name, invoice.amount_total, party_debit, invoice.number)]
    lines.append(
        VoucherLine(
            backend.settings_ref.sales_ledger, invoice.amount_untaxed, not party_debit
        )
    )
    taxes = {}
    for tax_line in invoice.tax_line_ids:
        ledger = _tax_ledger(backend, tax_line.tax_id.name or tax_line.name)
        taxes[ledger] = taxes.get(ledger, 0.0) + tax_line.amount_total
    for ledger, amount in sorted(taxes.items()):
        if amount:
            lines.append(VoucherLine(ledger, round(amount, 2), not party_debit))
    items = [
        VoucherItem(
            name=line.product_id.name or line.name,
            quantity=line.quantity,
            price=line.price_unit,
            amount=line.price_subtotal,
            tax_amount=round(line.price_total - line.price_subtotal, 2),
            code=line.product_id.default_code or None,
        )
        for line in invoice.invoice_line_ids
    ]
    return Voucher(
        kind="credit_note" if is_refund else "sales",
        remote_id=remote_id(invoice),
        number=invoice.number,
        date=invoice.date_invoice,
        party=party_name,
        narration=invoice.name or invoice.origin or None,
        lines=lines,
        items=items,
    )


class InvoiceLines(object):
    """A voucher there as the lines of an Odoo invoice, for one connection."""

    def __init__(self, backend):
        self.backend = backend
        self.env = backend.env

    def of(self, voucher):
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
