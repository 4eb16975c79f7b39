# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.2.0.0: the settings of each system leave the shared connection
record for the system's own settings model (sme.accounting.settings.<system>),
and the cursors leave the ``sync_state`` JSON text for sme.accounting.cursor.

Run after the update has made the new tables and before Odoo drops the
columns of the removed fields (that happens at the very end of the update),
so the old values are read from the connection table's old columns. No
pre-migration is needed for that. Credentials stay where they are
(sme.accounting.credential, keyed by the connection). Connections that
already have their settings (a second run) are left alone."""
import json
import logging

from psycopg2 import sql

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# Old column on sme_accounting_backend -> field of the settings model, where
# the name changed; every other setting kept its name (url, timeout,
# remote_company, customer_group, sales_ledger, oauth_client_id, ...).
RENAMED = {
    "region": "zoho_region",
    "organization_id": "zoho_organization_id",
    "realm_id": "qbo_realm_id",
    "environment": "qbo_environment",
    "sales_item": "qbo_sales_item",
}
# What the settings models hold but never had a column of their own.
NOT_SETTINGS = {
    "id",
    "backend_id",
    "company_id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
}


def _old_columns(cr):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = "
        "'sme_accounting_backend'"
    )
    return {row[0] for row in cr.fetchall()}


def _old_values(cr, backend_id, columns):
    query = sql.SQL("SELECT {} FROM sme_accounting_backend WHERE id = %s").format(
        sql.SQL(", ").join(sql.Identifier(column) for column in columns)
    )
    cr.execute(query, (backend_id,))
    return dict(zip(columns, cr.fetchone()))


def _move_settings(env, backend, old_columns):
    from odoo.addons.sme_accounting_hub.models.sme_accounting_settings import (
        settings_model_of,
    )

    from sme_connectors import CLIENTS

    name = CLIENTS.get(backend.system) and settings_model_of(CLIENTS[backend.system])
    if not name or name not in env:
        _logger.warning(
            "Connection %s: no settings model for its system %r, its settings stay unmoved",
            backend.id,
            backend.system,
        )
        return
    model = env[name]
    fields = [
        name
        for name, field in model._fields.items()
        if field.store
        and not field.related
        and name not in NOT_SETTINGS
        and RENAMED.get(name, name) in old_columns
    ]
    old = _old_values(env.cr, backend.id, [RENAMED.get(name, name) for name in fields])
    values = {name: old[RENAMED.get(name, name)] for name in fields}
    # An empty old value stays empty (not the new model's default).
    values = {name: False if value is None else value for name, value in values.items()}
    model.create(dict(values, backend_id=backend.id))


def _move_cursors(env, backend, sync_state):
    Cursor = env["sme.accounting.cursor"]
    try:
        state = json.loads(sync_state or "{}")
    except ValueError:
        _logger.warning(
            "Connection %s: its cursors were not JSON, its pulls start over", backend.id
        )
        return
    for entity, values in sorted(state.items()):
        if Cursor.search([("backend_id", "=", backend.id), ("entity", "=", entity)]):
            continue
        position = values.get("version")
        Cursor.create(
            {
                "backend_id": backend.id,
                "entity": entity,
                "position": False if position is None else str(position),
                "position_is_number": isinstance(position, int)
                and not isinstance(position, bool),
                "last_sync": values.get("last_sync") or False,
                "last_full_read": values.get("full_read") or False,
            }
        )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    old_columns = _old_columns(cr)
    for backend in (
        env["sme.accounting.backend"].with_context(active_test=False).search([])
    ):
        if not backend.settings_ref:
            _move_settings(env, backend, old_columns)
        if "sync_state" in old_columns:
            _move_cursors(
                env, backend, _old_values(cr, backend.id, ["sync_state"])["sync_state"]
            )
    _logger.info(
        "Settings and cursors of the accounting connections moved to their own tables"
    )
