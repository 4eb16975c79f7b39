# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every voucher mapping shares."""


def remote_id(record):
    """Stable across retries and re-runs: the same record always sends the same id."""
    return "odoo-%s-%d-%s" % (
        record._name.replace(".", "_"),
        record.id,
        record.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8],
    )
