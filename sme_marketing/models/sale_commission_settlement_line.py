# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleCommissionSettlementLine(models.Model):
    """A settlement line pays a share of its commission line (the part paid
    by the customer since the last settlement), not always the whole."""

    _inherit = "sale.commission.settlement.line"

    sme_share = fields.Float(
        "Share settled",
        digits=(16, 6),
        default=1.0,
        readonly=True,
        help="Fraction of the commission line this settlement pays: the share "
        "of the customer's invoice paid since the line was last settled.",
    )
    # sale_commission's settled_amount is the whole commission (a related);
    # here it is the share of it this line pays.
    settled_amount = fields.Monetary(
        related=False,
        compute="_compute_sme_settled_amount",
        store=True,
        readonly=True,
    )

    @api.depends("sme_share", "agent_line.amount")
    def _compute_sme_settled_amount(self):
        for line in self:
            amount = sum(line.agent_line.mapped("amount"))
            line.settled_amount = (
                line.currency_id.round(amount * line.sme_share)
                if (line.currency_id)
                else round(amount * line.sme_share, 2)
            )

    @api.model
    def create(self, vals):
        if "sme_share" not in vals and vals.get("agent_line"):
            agent_ids = []
            for command in vals["agent_line"]:
                if command[0] == 6:
                    agent_ids += command[2]
                elif command[0] == 4:
                    agent_ids.append(command[1])
            agent_lines = self.env["account.invoice.line.agent"].browse(agent_ids)
            if len(agent_lines) == 1:
                vals = dict(
                    vals,
                    sme_share=max(
                        agent_lines._sme_due_share() - agent_lines._sme_settled_share(),
                        0.0,
                    ),
                )
        return super(SaleCommissionSettlementLine, self).create(vals)
