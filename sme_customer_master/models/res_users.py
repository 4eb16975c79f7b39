# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def create(self, vals):
        # The people who use Odoo are not customers of the business: their
        # partners must not fall under the customer master's rules.
        return super(ResUsers, self.with_context(default_customer=False)).create(vals)
