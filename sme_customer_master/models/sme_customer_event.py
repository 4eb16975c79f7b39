# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.create_many import create_many

CUSTOMER_EVENTS = [
    ("on_sme_customer_created", "Customer created"),
    ("on_sme_customer_updated", "Customer updated"),
    ("on_sme_customer_archived", "Customer archived"),
    ("on_sme_invoice_paid", "Invoice paid"),
    ("on_sme_invoice_overdue", "Invoice overdue"),
]
MAX_PAGE_SIZE = 1000
MAX_SEQUENCE = 2**63 - 1  # what a PostgreSQL sequence can reach
# Advisory lock class ("SME") whose keys are the event numbers in flight.
IN_FLIGHT_LOCK_CLASS = 0x534D45


class SmeCustomerEvent(models.Model):
    """Outbox of customer events: every event notified through
    component_event is also appended here, so that external systems can
    follow them over XML-RPC without missing or repeating any (see
    :meth:`sme_events_since`).

    ``sequence`` comes from a PostgreSQL sequence: increasing (per company
    too), never reused, with gaps. Transactions can commit out of sequence
    order, so the first number a transaction draws is announced by a shared
    advisory lock keyed by it (``pg_locks``), held until the transaction ends;
    a reader is only shown events numbered below every number still in flight
    in this database, so an event with a smaller number can never appear behind one
    already read. Transactions that publish nothing (or run in another
    database) do not hold readers back, and no row is locked to number
    events, so publishing never makes concurrent transactions fail."""

    _name = "sme.customer.event"
    _description = "Customer event (outbox)"
    _order = "company_id, sequence"
    _rec_name = "event"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.customer.event"
        ),
    )
    sequence = fields.Integer(required=True, readonly=True)
    event = fields.Selection(CUSTOMER_EVENTS, required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True, ondelete="set null"
    )
    invoice_id = fields.Many2one("account.invoice", readonly=True, ondelete="set null")
    payload = fields.Text(readonly=True, help="The event's data as JSON.")

    _sql_constraints = [
        (
            "sequence_company_uniq",
            "unique(company_id, sequence)",
            "An event sequence number is used once per company.",
        ),
    ]

    @api.model_cr
    def init(self):
        self.env.cr.execute("CREATE SEQUENCE IF NOT EXISTS sme_customer_event_sequence")
        # Never hand out a number already used (events from before an upgrade).
        self.env.cr.execute(
            """
            SELECT setval('sme_customer_event_sequence', GREATEST(
                (SELECT last_value FROM sme_customer_event_sequence),
                (SELECT COALESCE(MAX(sequence), 0) FROM sme_customer_event), 1))"""
        )

    @api.model
    def _publish(
        self, event, record, payload, partner=None, invoice=None, **listener_kwargs
    ):
        """Notify ``event`` about ``record`` to component_event listeners
        (``on_x(record, **listener_kwargs)``) and append it to the outbox of
        the record's company; returns the outbox row."""
        row = self.sudo().create(
            self._outbox_vals(
                event, record, self._next_sequence(), payload, partner, invoice
            )
        )
        record._event(event).notify(record, **listener_kwargs)
        return row

    @api.model
    def _outbox_vals(self, event, record, number, payload, partner=None, invoice=None):
        """The outbox row of ``event`` about ``record``, numbered ``number``,
        in the record's company."""
        return {
            "company_id": (record.company_id or self.env.user.company_id).id,
            "sequence": number,
            "event": event,
            "partner_id": partner.id if partner else False,
            "invoice_id": invoice.id if invoice else False,
            "payload": json.dumps(payload, sort_keys=True, default=str),
        }

    @api.model
    def _publish_many(self, event, records, payloads):
        """``_publish`` for records created together (an import): one outbox
        row per record, in one INSERT, and one notification carrying all
        of them (listeners of customer events take several records)."""
        if not records:
            return self.browse()
        numbers = self._next_sequences(len(records))
        rows = create_many(
            self.sudo(),
            [
                self._outbox_vals(
                    event,
                    record,
                    number,
                    payload,
                    partner=record if record._name == "res.partner" else None,
                )
                for record, number, payload in zip(records, numbers, payloads)
            ],
        )
        records._event(event).notify(records)
        return rows

    @api.model
    def _next_sequences(self, count):
        """``count`` event numbers in increasing order, announced like
        ``_next_sequence``'s (its first number, the lowest, holds the lock)."""
        first = self._next_sequence()
        if count == 1:
            return [first]
        self.env.cr.execute(
            "SELECT nextval('sme_customer_event_sequence') FROM generate_series(2, %s)",
            (count,),
        )
        return [first] + sorted(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _next_sequence(self):
        # The number and, in the same statement, the lock that announces it.
        # One lock per transaction is enough (its first number is its lowest)
        # and keeps a long import within PostgreSQL's lock table; the check
        # looks at the locks this transaction still holds, so a first event
        # undone by a savepoint rollback (which drops its lock) is replaced.
        self.env.cr.execute(
            """
            SELECT n, CASE WHEN NOT EXISTS (
                          SELECT 1 FROM pg_locks
                           WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                             AND classid = %s AND objsubid = 1)
                       THEN pg_advisory_xact_lock_shared(%s * 4294967296 + n) END
              FROM (SELECT nextval('sme_customer_event_sequence') AS n) drawn""",
            (IN_FLIGHT_LOCK_CLASS, IN_FLIGHT_LOCK_CLASS),
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _lowest_in_flight(self):
        """The smallest event number drawn by another transaction of this
        database that has not ended yet, or None."""
        self.env.cr.execute(
            """
            SELECT MIN(objid::text::bigint) FROM pg_locks
             WHERE locktype = 'advisory' AND classid = %s AND objsubid = 1
               AND pid <> pg_backend_pid()
               AND database = (SELECT oid FROM pg_database
                                WHERE datname = current_database())""",
            (IN_FLIGHT_LOCK_CLASS,),
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def sme_events_since(self, after_sequence=0, limit=100, company_id=None):
        """Events of a company with a sequence greater than ``after_sequence``,
        oldest first, at most ``limit`` (1 to 1000) of them.

        Returns ``{'events': [{'sequence', 'event', 'partner_id',
        'invoice_id', 'payload', 'date'}, ...], 'last_sequence': N,
        'has_more': bool}``; pass ``last_sequence`` back as
        ``after_sequence`` to read the next page.
        """
        try:
            after_sequence, limit = int(after_sequence or 0), int(
                100 if limit is None else limit
            )
        except (TypeError, ValueError, OverflowError):  # lists, text, NaN, infinity
            raise UserError(
                _("after_sequence and limit must be whole numbers.")
            ) from None
        if not 0 <= after_sequence <= MAX_SEQUENCE:
            raise UserError(
                _("after_sequence must be between 0 and %d.") % MAX_SEQUENCE
            )
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise UserError(_("limit must be between 1 and %d.") % MAX_PAGE_SIZE)
        company = self.env["res.company"]._sme_company_for_call(company_id)
        in_flight = self._lowest_in_flight()
        self.env.cr.execute(
            """
            SELECT id FROM sme_customer_event
             WHERE company_id = %s AND sequence > %s AND (%s IS NULL OR sequence < %s)
             ORDER BY sequence LIMIT %s""",
            (company.id, after_sequence, in_flight, in_flight, limit + 1),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        rows = self.search([("id", "in", ids)], order="sequence")
        page = rows[:limit]
        return {
            "events": [
                {
                    "sequence": row.sequence,
                    "event": row.event,
                    "partner_id": row.partner_id.id or False,
                    "invoice_id": row.invoice_id.id or False,
                    "payload": json.loads(row.payload or "{}"),
                    "date": row.create_date,
                }
                for row in page
            ],
            "last_sequence": page[-1].sequence if page else after_sequence,
            "has_more": len(rows) > limit,
        }
