from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Customers that exist when the addon is installed get their health
    profile, as new customers do through the created event."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sme.customer.health"].action_create_missing_profiles()
