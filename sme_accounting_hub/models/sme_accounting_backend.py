# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from sme_connectors import CLIENTS
from sme_connectors.base import ConnectorError
from sme_connectors.redact import redact

from .sme_accounting_settings import settings_model_of

FREQUENCIES = {"15min": 15, "hourly": 60, "daily": 24 * 60, "manual": 0}


class SmeAccountingBackend(models.Model):
    """One company's connection to one accounting system: what syncs, how
    often, its state. What it takes to reach the system (address, company,
    ledgers, credentials) is in the system's settings model, one record per
    connection (``settings_ref``); where each pull resumes is in
    ``sme.accounting.cursor``."""

    _name = "sme.accounting.backend"
    _description = "Accounting system connection"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, name"

    name = fields.Char(required=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.accounting.backend"
        ),
    )
    # The systems are the connectors' (connectors.CLIENTS), read when asked: a new one
    # needs no change here.
    system = fields.Selection(
        lambda self: [(key, client.label) for key, client in CLIENTS.items()],
        required=True,
        default="tally",
        track_visibility="onchange",
    )
    # The system's settings record (sme.accounting.settings.<system>), made with the connection.
    settings_ref = fields.Reference(
        lambda self: [
            (name, self.env[name]._description)
            for name in self.env.registry
            if name.startswith("sme.accounting.settings.")
            and not self.env[name]._abstract
        ],
        "Settings",
        readonly=True,
        copy=False,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("paused", "Paused"),
            ("error", "Error"),
        ],
        default="draft",
        required=True,
        readonly=True,
        track_visibility="onchange",
        copy=False,
    )
    last_error = fields.Text(readonly=True, copy=False)
    resume_at = fields.Datetime(
        "Paused until",
        readonly=True,
        copy=False,
        help="Set when the system's daily API quota ran out: the connection resumes "
        "by itself then.",
    )
    # What and how to sync
    direction = fields.Selection(
        [
            ("pull", "Accounting system → Odoo"),
            ("push", "Odoo → accounting system"),
            ("both", "Both ways"),
        ],
        default="both",
        required=True,
    )
    frequency = fields.Selection(
        [
            ("15min", "Every 15 minutes"),
            ("hourly", "Hourly"),
            ("daily", "Daily"),
            ("manual", "Manual only"),
        ],
        default="hourly",
        required=True,
    )
    sync_customers = fields.Boolean("Customers", default=True)
    sync_invoices = fields.Boolean("Invoices and credit notes", default=True)
    sync_payments = fields.Boolean("Payments", default=True)
    sync_journals = fields.Boolean("Journal entries", default=False)
    sync_accounts = fields.Boolean("Chart of accounts", default=False)
    sync_trial_balance = fields.Boolean("Trial balance", default=False)
    sync_bank = fields.Boolean("Bank entries", default=False)
    conflict_policy = fields.Selection(
        [
            ("platform_wins", "Odoo wins"),
            ("accounting_wins", "Accounting system wins"),
            ("manual", "Ask (review list)"),
        ],
        default="manual",
        required=True,
    )
    sequence = fields.Integer(
        "Precedence",
        default=10,
        help="When two connections of the company disagree about a customer (one of "
        "them says another address, e-mail, GSTIN...), the one with the smaller "
        "number wins and the other's value is not taken. With equal numbers, the "
        "conflict policy decides: 'Ask' parks the difference for review.",
    )
    # Progress
    last_sync_date = fields.Datetime(readonly=True, copy=False)
    cursor_ids = fields.One2many(
        "sme.accounting.cursor", "backend_id", "Where each pull resumes", readonly=True
    )
    log_count = fields.Integer(compute="_compute_counts")
    binding_count = fields.Integer(compute="_compute_counts")
    conflict_count = fields.Integer(compute="_compute_counts")
    waiting_job_count = fields.Integer(
        "Waiting jobs",
        compute="_compute_counts",
        help="Sync jobs of this connection queued or running.",
    )
    running_progress = fields.Text(
        "Running",
        compute="_compute_counts",
        help="Pulls under way: records done of expected, rate and time left.",
    )
    failure_count = fields.Integer(
        "Open failures",
        compute="_compute_counts",
        help="Records the last pull of each entity could not take, and records "
        "that could not be sent in the last 7 days.",
    )

    _sql_constraints = [
        (
            "system_company_name_uniq",
            "unique(company_id, system, name)",
            "A connection name is used once per system and company.",
        ),
    ]

    @api.model
    def create(self, values):
        backend = super(SmeAccountingBackend, self).create(values)
        model = settings_model_of(backend._client_class())
        if model not in self.env:
            raise UserError(
                _("%s has no settings form: install the module that adds it (%s).")
                % (backend._client_class().label, model)
            )
        self.env[model].sudo().create(
            {"backend_id": backend.id}
        )  # with the system's defaults
        return backend

    @api.onchange("system")
    def _onchange_system_pull_only(self):
        if self.system and not CLIENTS[self.system].pushes:
            self.direction = "pull"

    @api.constrains("direction", "system", "settings_ref")
    def _check_direction(self):
        for backend in self:
            client = CLIENTS[backend.system]
            if not client.pushes and backend.direction != "pull":
                raise ValidationError(
                    _("%s only gives data out: its connection can only pull.")
                    % client.label
                )
            if (
                backend.settings_ref
                and backend.settings_ref._name != settings_model_of(client)
            ):
                raise ValidationError(
                    _(
                        "The system of a connection cannot change (its settings, links and "
                        "cursors are that system's): make a new connection."
                    )
                )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_open_settings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("%s settings") % self._client_class().label,
            "res_model": self.settings_ref._name,
            "res_id": self.settings_ref.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.multi
    def action_test_connection(self):
        self.ensure_one()
        try:
            seconds, answer = self._connector().test_connection()
        except ConnectorError as error:
            raise UserError(_("Connection failed: %s") % error) from None
        message = _("Connected in %d ms. The server says: %s") % (
            seconds * 1000,
            redact(
                answer,
                self.env["sme.accounting.credential"].sudo()._all_plaintexts(self),
            ),
        )
        self.message_post(body=message)
        return self.env["sme.accounting.message"]._dialog(_("Test connection"), message)

    @api.multi
    def action_activate(self):
        for backend in self:
            backend._connector()  # complete settings
        return self.write({"state": "active", "last_error": False})

    @api.multi
    def action_pause(self):
        return self.write({"state": "paused"})

    @api.multi
    def action_resume(self):
        return self.write({"state": "active", "last_error": False, "resume_at": False})

    @api.multi
    def action_sync_now(self):
        self.ensure_one()
        if self.state not in ("active", "error"):
            raise UserError(_("Activate the connection before syncing."))
        jobs = self._enqueue_pulls()
        return self.env["sme.accounting.message"]._dialog(
            _("Sync now"),
            (
                _("1 sync job queued: see Sync jobs and Sync logs.")
                if len(jobs) == 1
                else _("%d sync jobs queued: see Sync jobs and Sync logs.") % len(jobs)
            )
            if jobs
            else _(
                "Nothing to pull: no entity is set to sync from the accounting system."
            ),
        )

    @api.multi
    def _compute_counts(self):
        Log = self.env["sme.accounting.sync.log"]
        waiting = (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", self._name),
                    ("state", "in", ("pending", "enqueued", "started")),
                ]
            )
        )
        running = Log.sudo().search(
            [
                ("backend_id", "in", self.ids),
                ("state", "=", "running"),
                ("direction", "=", "pull"),
            ]
        )
        for backend in self:
            backend.waiting_job_count = len(
                waiting.filtered(lambda job: backend.id in (job.record_ids or []))
            )
            backend.log_count = Log.search_count([("backend_id", "=", backend.id)])
            backend.binding_count = self.env["sme.accounting.binding"].search_count(
                [("backend_id", "=", backend.id)]
            )
            backend.conflict_count = self.env["sme.accounting.conflict"].search_count(
                [("backend_id", "=", backend.id), ("state", "=", "open")]
            )
            backend.failure_count = sum(
                log.failed or 1 for log in Log._open_failures(backend)
            )
            backend.running_progress = (
                "\n".join(
                    _("Pulling %s: %s") % (log.entity, log.progress or _("starting"))
                    for log in running.filtered(lambda log: log.backend_id == backend)
                )
                or False
            )

    @api.multi
    def action_view_bindings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Linked records"),
            "res_model": "sme.accounting.binding",
            "view_mode": "tree,form",
            "domain": [("backend_id", "=", self.id)],
            "context": {"default_backend_id": self.id},
        }

    @api.multi
    def action_view_failures(self):
        self.ensure_one()
        action = self.env.ref(
            "sme_accounting_hub.sme_accounting_sync_log_action"
        ).read()[0]
        action.update(
            name=_("Open failures"),
            domain=[
                (
                    "id",
                    "in",
                    self.env["sme.accounting.sync.log"]._open_failures(self).ids,
                )
            ],
        )
        return action

    @api.multi
    def action_view_conflicts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Conflicts"),
            "res_model": "sme.accounting.conflict",
            "view_mode": "tree,form",
            "domain": [("backend_id", "=", self.id)],
            "context": {"default_backend_id": self.id},
        }
