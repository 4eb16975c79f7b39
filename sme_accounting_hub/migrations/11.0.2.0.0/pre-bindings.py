# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Typed bindings (before the module loads): the one binding table of
1.x, ``(model, res_id)`` without a foreign key, makes way for the view of
the same name over the typed binding tables. Its rows, and the conflicts
that point at them, wait in legacy tables for ``post-bindings.py``, which
copies them into the typed tables Odoo creates in between."""
import logging

from psycopg2.sql import SQL, Identifier

from odoo.tools import sql

_logger = logging.getLogger(__name__)

LEGACY_TABLE = "sme_accounting_binding_legacy"
LEGACY_CONFLICTS = "sme_accounting_conflict_legacy"


def migrate(cr, version):
    if not version or sql.table_kind(cr, "sme_accounting_binding") != "r":
        return  # a new install, or the bindings are typed already (the name is a view)
    cr.execute(
        SQL("ALTER TABLE sme_accounting_binding RENAME TO {}").format(
            Identifier(LEGACY_TABLE)
        )
    )
    if sql.table_exists(cr, "sme_accounting_conflict"):
        # A conflict's binding_id is to point at a partner binding: Odoo
        # would refuse the new foreign key over ids of the old table. The
        # conflicts wait aside (an empty table takes the new key) and come
        # back with their new binding ids.
        cr.execute(
            SQL("CREATE TABLE {} AS SELECT * FROM sme_accounting_conflict").format(
                Identifier(LEGACY_CONFLICTS)
            )
        )
        cr.execute("DELETE FROM sme_accounting_conflict")
        cr.execute(
            """SELECT con.conname FROM pg_constraint con
                        JOIN pg_class rel ON rel.oid = con.conrelid
                        JOIN pg_attribute att ON att.attrelid = rel.oid
                                             AND att.attnum = ANY(con.conkey)
                       WHERE con.contype = 'f'
                         AND rel.relname = 'sme_accounting_conflict'
                         AND att.attname = 'binding_id'"""
        )
        for (name,) in cr.fetchall():
            sql.drop_constraint(cr, "sme_accounting_conflict", name)
    _logger.info(
        "Bindings: the 1.x binding table is kept as %s until the typed tables are filled",
        LEGACY_TABLE,
    )
