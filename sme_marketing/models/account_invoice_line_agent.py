# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import float_compare

# Shares are fractions of a commission line: compared at this precision.
SHARE_DIGITS = 6


class AccountInvoiceLineAgent(models.Model):
    """Payment-based commissions in proportion to what was paid.

    sale_commission 11.0 settles a payment-based line only once its invoice
    is fully paid, and a line is settled once for all. Here a line is
    settled in shares: each settlement line carries the share of the
    commission it pays (``sme_share``), the share due is the share of the
    invoice paid so far, and a line counts as settled once its shares reach
    the whole. Running a settlement again only settles what was paid since.
    """

    _inherit = "account.invoice.line.agent"

    @api.multi
    def _sme_paid_share(self):
        """Fraction of the invoice paid (1 for a paid one, refunds included:
        a refund reconciled with its invoice is "paid")."""
        self.ensure_one()
        invoice = self.invoice
        if invoice.state == "paid":
            return 1.0
        if invoice.state != "open" or not invoice.amount_total:
            return 0.0
        share = 1.0 - invoice.residual / invoice.amount_total
        return min(max(round(share, SHARE_DIGITS), 0.0), 1.0)

    @api.multi
    def _sme_due_share(self):
        """The share of the commission earned so far by its invoice's state."""
        self.ensure_one()
        if self.commission.invoice_state == "paid":
            return self._sme_paid_share()
        return 1.0 if self.invoice.state in ("open", "paid") else 0.0

    @api.multi
    def _sme_settled_share(self):
        self.ensure_one()
        return round(
            sum(
                settlement_line.sme_share
                for settlement_line in self.agent_line
                if settlement_line.settlement.state != "cancel"
            ),
            SHARE_DIGITS,
        )

    @api.multi
    def _sme_settled_amount(self):
        self.ensure_one()
        return sum(
            settlement_line.settled_amount
            for settlement_line in self.agent_line
            if settlement_line.settlement.state != "cancel"
        )

    @api.depends(
        "agent_line",
        "agent_line.sme_share",
        "agent_line.settlement.state",
        "invoice",
        "invoice.state",
    )
    def _compute_settled(self):
        for line in self:
            line.settled = (
                float_compare(
                    line._sme_settled_share(), 1.0, precision_digits=SHARE_DIGITS
                )
                >= 0
            )

    def _skip_settlement(self):
        """Skip a line with nothing more due than what was settled."""
        self.ensure_one()
        if self.invoice.state not in ("open", "paid"):
            return True
        return (
            float_compare(
                self._sme_due_share(),
                self._sme_settled_share(),
                precision_digits=SHARE_DIGITS,
            )
            <= 0
        )
