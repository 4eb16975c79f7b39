# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

KEEP = object()  # "leave this value as it is" in _set()


class SmeAccountingCursor(models.Model):
    """Where the next pull of one entity of one connection resumes: the
    system's own change marker (Tally ALTERID, Busy code: numbers; Marg,
    Zoho, QuickBooks: timestamps) and when the entity was last pulled and
    last read in full."""

    _name = "sme.accounting.cursor"
    _description = "Where a pull resumes"
    _order = "backend_id, entity"
    _rec_name = "entity"

    backend_id = fields.Many2one(
        "sme.accounting.backend",
        "Connection",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, readonly=True
    )
    entity = fields.Char("What", required=True, readonly=True)
    position = fields.Char(
        "Resumes after",
        readonly=True,
        help="The system's change marker of the last record taken (empty: from the start).",
    )
    position_is_number = fields.Boolean(
        readonly=True, help="The marker is a number (compared as one, not as text)."
    )
    last_sync = fields.Datetime("Last pull", readonly=True)
    last_full_read = fields.Datetime("Last full read", readonly=True)

    _sql_constraints = [
        (
            "backend_entity_uniq",
            "unique(backend_id, entity)",
            "One cursor per connection and entity.",
        ),
    ]

    @api.multi
    def _marker(self):
        """The stored change marker, as the system gave it (a number or a text)."""
        if not self or not self.position:
            return None
        return int(self.position) if self.position_is_number else self.position

    @api.model
    def _set(self, backend, entity, position=KEEP, last_full_read=KEEP):
        """Record a pull of ``entity``: now is its last sync (and the
        connection's); ``position`` (None: from the start) and
        ``last_full_read`` change when given."""
        now = fields.Datetime.now()
        values = {"last_sync": now}
        if position is not KEEP:
            values.update(
                position=False if position is None else str(position),
                position_is_number=isinstance(position, int)
                and not isinstance(position, bool),
            )
        if last_full_read is not KEEP:
            values["last_full_read"] = last_full_read
        cursor = self.sudo().search(
            [("backend_id", "=", backend.id), ("entity", "=", entity)]
        )
        if cursor:
            cursor.write(values)
        else:
            self.sudo().create(dict(values, backend_id=backend.id, entity=entity))
        backend.sudo().write({"last_sync_date": now})

    @api.model
    def _read_point(self, backend, entity):
        """Where the next pull of ``entity`` starts: the stored marker, or the
        beginning when the system needs its periodic full read."""
        cursor = self.sudo().search(
            [("backend_id", "=", backend.id), ("entity", "=", entity)]
        )
        hours = backend._client_class().full_read_hours
        if hours:
            last = cursor.last_full_read
            now = fields.Datetime.from_string(fields.Datetime.now())
            if (
                not last
                or (now - fields.Datetime.from_string(last)).total_seconds()
                >= hours * 3600
            ):
                self._set(backend, entity, last_full_read=fields.Datetime.now())
                return None
        return cursor._marker()

    @api.model
    def _advance(self, backend, entity, since, seen, failed):
        """Move the entity's change marker past what was read, but never
        past a record that failed: the next run reads it again (records
        already imported are skipped through their bindings). Markers are
        numbers (Tally ALTERID, Busy codes) or timestamps (Marg DateTime):
        with a failed timestamp the cursor stays where it was."""
        seen = [mark for mark in seen if mark is not None]
        top = max(seen) if seen else since
        if failed:
            numeric = all(isinstance(mark, int) for mark in failed)
            top = min(top, min(failed) - 1) if numeric and top is not None else since
        self._set(backend, entity, position=top)
