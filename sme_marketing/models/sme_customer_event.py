# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeCustomerEvent(models.Model):
    """Won opportunities are published to the customer master's outbox
    too, so that external systems (invoicing, treasury) can follow them."""

    _inherit = "sme.customer.event"

    event = fields.Selection(
        selection_add=[("on_sme_opportunity_won", "Opportunity won")]
    )
