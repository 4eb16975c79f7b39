# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Typed bindings (after the module loaded): the 1.x bindings kept aside
by ``pre-bindings.py`` go into the typed binding tables, each to the
table of its Odoo model. A binding whose record no longer exists (an
orphan: 1.x had no foreign key) or whose model has no binding model is
not copied, and said in the log. Conflicts come back pointing at their
customer's new partner binding. Then the legacy tables go."""
import logging

from psycopg2 import sql

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

LEGACY_TABLE = "sme_accounting_binding_legacy"
LEGACY_CONFLICTS = "sme_accounting_conflict_legacy"
# Columns a 1.x binding hands over as they are.
COPIED = (
    "backend_id",
    "company_id",
    "system",
    "external_id",
    "external_name",
    "external_version",
    "payload_hash",
    "sync_date",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
# The names of the 1.x unique constraints, reflected in ir_model_constraint.
LEGACY_CONSTRAINTS = (
    "sme_accounting_binding_external_uniq",
    "sme_accounting_binding_record_uniq",
)
# Orphans named one by one in the log, at most.
NAMED = 50


def migrate(cr, version):
    if not version or not table_exists(cr, LEGACY_TABLE):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    binding_models = env["sme.accounting.binding"]._binding_model_names()
    legacy = sql.Identifier(LEGACY_TABLE)
    cr.execute(
        sql.SQL("SELECT model, count(*) FROM {} GROUP BY model ORDER BY model").format(
            legacy
        )
    )
    for model, count in cr.fetchall():
        if model not in binding_models or model not in env:
            _logger.warning(
                "Bindings: %d binding(s) of %s not copied: no binding model binds %s",
                count,
                model,
                model,
            )
            continue
        table = sql.Identifier(env[binding_models[model]]._table)
        target = sql.Identifier(env[model]._table)
        columns = sql.SQL(", ").join(map(sql.Identifier, COPIED))
        cr.execute(
            sql.SQL(
                "INSERT INTO {table} (odoo_id, {columns}) "
                "SELECT l.res_id, {legacy_columns} FROM {legacy} l "
                "WHERE l.model = %s AND EXISTS (SELECT 1 FROM {target} r WHERE r.id = l.res_id)"
            ).format(
                table=table,
                columns=columns,
                legacy=legacy,
                target=target,
                legacy_columns=sql.SQL(", ").join(
                    sql.SQL("l.") + sql.Identifier(c) for c in COPIED
                ),
            ),
            (model,),
        )
        copied = cr.rowcount
        cr.execute(
            sql.SQL(
                "SELECT l.res_id, l.backend_id, l.external_id, l.external_name FROM "
                "{legacy} l WHERE l.model = %s AND NOT EXISTS (SELECT 1 FROM {target} "
                "r WHERE r.id = l.res_id) ORDER BY l.id"
            ).format(legacy=legacy, target=target),
            (model,),
        )
        orphans = cr.fetchall()
        _logger.info(
            "Bindings: %d binding(s) of %s copied to %s",
            copied,
            model,
            binding_models[model],
        )
        if orphans:
            _logger.warning(
                "Bindings: %d binding(s) of %s not copied: the Odoo record was deleted "
                "(orphans of 1.x, which had no foreign key): %s%s",
                len(orphans),
                model,
                "; ".join(
                    "%s %s (connection %s, there '%s', id %s)"
                    % (model, res_id, backend_id, name or "", external_id)
                    for res_id, backend_id, external_id, name in orphans[:NAMED]
                ),
                " ..." if len(orphans) > NAMED else "",
            )
    _restore_conflicts(cr, env)
    cr.execute(sql.SQL("DROP TABLE {}").format(legacy))
    cr.execute(
        "DELETE FROM ir_model_constraint WHERE name IN %s", (LEGACY_CONSTRAINTS,)
    )


def _restore_conflicts(cr, env):
    """The conflicts put aside, each pointing at the partner binding of its
    customer and connection; one whose binding was not copied goes."""
    if not table_exists(cr, LEGACY_CONFLICTS):
        return
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        (LEGACY_CONFLICTS,),
    )
    kept = {name for (name,) in cr.fetchall()}
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = "
        "'sme_accounting_conflict'"
    )
    columns = sorted(
        name for (name,) in cr.fetchall() if name in kept and name != "binding_id"
    )
    cr.execute(
        sql.SQL(
            "INSERT INTO sme_accounting_conflict (binding_id, {columns}) SELECT pb.id, "
            "{conflict_columns} FROM {conflicts} c JOIN {legacy} l ON l.id = "
            "c.binding_id AND l.model = 'res.partner' JOIN {partner_bindings} pb ON "
            "pb.backend_id = l.backend_id AND pb.odoo_id = l.res_id"
        ).format(
            columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
            conflict_columns=sql.SQL(", ").join(
                sql.SQL("c.") + sql.Identifier(c) for c in columns
            ),
            conflicts=sql.Identifier(LEGACY_CONFLICTS),
            legacy=sql.Identifier(LEGACY_TABLE),
            partner_bindings=sql.Identifier(
                env["sme.accounting.partner.binding"]._table
            ),
        )
    )
    restored = cr.rowcount
    cr.execute(
        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(LEGACY_CONFLICTS))
    )
    lost = cr.fetchone()[0] - restored
    if lost:
        _logger.warning(
            "Bindings: %d conflict(s) dropped: their customer's binding was not copied",
            lost,
        )
    cr.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(LEGACY_CONFLICTS)))
