# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    sme_loyalty_multiplier = fields.Float(
        "Loyalty points multiplier",
        default=1.0,
        digits=(16, 2),
        help="Invoice lines of products of this category earn the company's points "
        "per rupee times this (2.0: double points; 0: none).",
    )
