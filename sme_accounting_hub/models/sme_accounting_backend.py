import json
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import config, html_escape

from ..connectors import CLIENTS
from ..connectors.base import ConnectorError
from ..connectors.redact import redact
from ..tools import secrets


FREQUENCIES = {"15min": 15, "hourly": 60, "daily": 24 * 60, "manual": 0}
SECRET_NAMES = ("password", "api_key", "client_secret", "refresh_token")


class SmeAccountingBackend(models.Model):
    """One company's connection to one accounting system."""

    _name = "sme.accounting.backend"
    _description = "Accounting system connection"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, name"

    name = fields.Char(required=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env["res.company"]._company_default_get("sme.accounting.backend"))
    # The systems are the connectors' (connectors.CLIENTS), read when asked: a new one needs no change here.
    system = fields.Selection(lambda self: [(key, client.label) for key, client in CLIENTS.items()],
                              required=True, default="tally", track_visibility="onchange")
    state = fields.Selection([("draft", "Draft"), ("active", "Active"), ("paused", "Paused"),
                              ("error", "Error")], default="draft", required=True, readonly=True,
                             track_visibility="onchange", copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    resume_at = fields.Datetime("Paused until", readonly=True, copy=False,
                                help="Set when the system's daily API quota ran out: the connection resumes "
                                     "by itself then.")
    # Connection
    url = fields.Char("Server address", help="Tally: http://host:9000 (Tally's own server, or the sandbox "
                                             "for a trial). Busy: the SME Hub agent on the Busy PC, "
                                             "http://host:8765. Marg: https://wservices.margcompusoft.com.")
    remote_company = fields.Char("Company in the accounting system",
                                 help="Tally: the company name exactly as Tally shows it. Busy: the company "
                                      "code the agent opens. Marg: the company code Marg gave.")
    remote_branch = fields.Char("Marg branch (CompanyID)", default="0",
                                help="Marg: the CompanyID of the branch to read; 0 reads the company.")
    voucher_series = fields.Char("Voucher series", default="Main",
                                 help="Busy: the series that vouchers sent from Odoo are numbered in.")
    timeout = fields.Integer("Timeout (seconds)", default=30)
    # What and how to sync
    direction = fields.Selection([("pull", "Accounting system → Odoo"), ("push", "Odoo → accounting system"),
                                  ("both", "Both ways")], default="both", required=True)
    frequency = fields.Selection([("15min", "Every 15 minutes"), ("hourly", "Hourly"), ("daily", "Daily"),
                                  ("manual", "Manual only")], default="hourly", required=True)
    sync_customers = fields.Boolean("Customers", default=True)
    sync_invoices = fields.Boolean("Invoices and credit notes", default=True)
    sync_payments = fields.Boolean("Payments", default=True)
    sync_journals = fields.Boolean("Journal entries", default=False)
    sync_accounts = fields.Boolean("Chart of accounts", default=False)
    sync_trial_balance = fields.Boolean("Trial balance", default=False)
    sync_bank = fields.Boolean("Bank entries", default=False)
    conflict_policy = fields.Selection([("platform_wins", "Odoo wins"), ("accounting_wins", "Accounting system wins"),
                                        ("manual", "Ask (review list)")], default="manual", required=True)
    sequence = fields.Integer(
        "Precedence", default=10,
        help="When two connections of the company disagree about a customer (one of them says another "
             "address, e-mail, GSTIN...), the one with the smaller number wins and the other's value is not "
             "taken. With equal numbers, the conflict policy decides: 'Ask' parks the difference for review.")
    # Mappings (Tally ledger names)
    customer_group = fields.Char("Customer ledger group", default="Sundry Debtors")
    sales_ledger = fields.Char("Sales ledger", default="Sales")
    bank_ledger = fields.Char("Receipts ledger", default="HDFC Bank",
                              help="Ledger debited by customer receipts (bank or cash).")
    cgst_ledger = fields.Char("CGST ledger", default="Output CGST")
    sgst_ledger = fields.Char("SGST ledger", default="Output SGST")
    igst_ledger = fields.Char("IGST ledger", default="Output IGST")
    other_tax_ledger = fields.Char("Other taxes ledger", default="Output IGST")
    # Progress
    sync_state = fields.Text("Cursors", readonly=True, copy=False, default="{}",
                             help="Per entity: last sync time and the system's change marker.")
    last_sync_date = fields.Datetime(readonly=True, copy=False)
    sync_state_html = fields.Html("Where each pull resumes", compute="_compute_sync_state_html", sanitize=False)
    # Credentials: write-only here, kept encrypted in sme.accounting.credential.
    password = fields.Char(compute="_compute_secrets", inverse="_inverse_password", string="Password")
    api_key = fields.Char(compute="_compute_secrets", inverse="_inverse_api_key", string="API key")
    client_secret = fields.Char(compute="_compute_secrets", inverse="_inverse_client_secret",
                                string="Client secret")
    refresh_token = fields.Char(compute="_compute_secrets", inverse="_inverse_refresh_token",
                                string="Refresh token")
    secrets_set = fields.Char(compute="_compute_secrets", string="Credentials stored")
    key_location = fields.Char(compute="_compute_key_location", string="Encryption key",
                               groups="base.group_system",
                               help="Where the key that encrypts the credentials lives (never in the database).")
    log_count = fields.Integer(compute="_compute_counts")
    binding_count = fields.Integer(compute="_compute_counts")
    conflict_count = fields.Integer(compute="_compute_counts")
    waiting_job_count = fields.Integer("Waiting jobs", compute="_compute_counts",
                                       help="Sync jobs of this connection queued or running.")
    running_progress = fields.Text("Running", compute="_compute_running_progress",
                                   help="Pulls under way: records done of expected, rate and time left.")
    failure_count = fields.Integer("Open failures", compute="_compute_counts",
                                   help="Records the last pull of each entity could not take, and records "
                                        "that could not be sent in the last 7 days.")

    _sql_constraints = [
        ("system_company_name_uniq", "unique(company_id, system, name)",
         "A connection name is used once per system and company."),
    ]

    @api.onchange("system")
    def _onchange_system_pull_only(self):
        if self.system and not CLIENTS[self.system].pushes:
            self.direction = "pull"

    @api.constrains("direction", "system")
    def _check_direction(self):
        for backend in self:
            client = CLIENTS[backend.system]
            if not client.pushes and backend.direction != "pull":
                raise ValidationError(_("%s only gives data out: its connection can only pull.") % client.label)

    # ------------------------------------------------------------------
    # Credentials
    # ------------------------------------------------------------------
    @api.multi
    def _compute_secrets(self):
        stored = self.env["sme.accounting.credential"]._rows([b.id for b in self if b.id])
        for backend in self:
            for name in SECRET_NAMES:
                backend[name] = False  # never shown, never returned by read()
            names = [name for _id, backend_id, name, _token in stored if backend_id == backend.id]
            backend.secrets_set = ", ".join(sorted(names)) if names else _("none")

    @api.multi
    def _compute_sync_state_html(self):
        for backend in self:
            state = json.loads(backend.sync_state or "{}")
            rows = "".join("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % tuple(
                html_escape(str(value)) if value not in (None, "") else "—" for value in (
                    entity, values.get("version"), values.get("last_sync"), values.get("full_read")))
                for entity, values in sorted(state.items()))
            backend.sync_state_html = (
                '<table class="table table-condensed"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>'
                '</tr></thead><tbody>%s</tbody></table>' % (
                    _("What"), _("Resumes after (the system's change marker)"), _("Last pull"),
                    _("Last full read"), rows)) if rows else _("<p>Nothing pulled yet.</p>")

    @api.multi
    def _compute_key_location(self):
        try:
            source, path = secrets.key_source(config)
            text = {"environment": _("The SME_HUB_SECRET_KEY environment variable"),
                    "config": _("The Odoo config file (sme_hub_secret_key)"),
                    "data_dir": _("Made by the hub in %s, as the Odoo config has no key: back this file up "
                                  "with the database") % path}[source]
        except secrets.SecretKeyError as error:
            text = str(error)
        for backend in self:
            backend.key_location = text

    def _inverse_secret(self, name):
        for backend in self:
            if backend[name]:
                self.env["sme.accounting.credential"]._store(backend, name, backend[name])

    def _inverse_password(self):
        self._inverse_secret("password")

    def _inverse_api_key(self):
        self._inverse_secret("api_key")

    def _inverse_client_secret(self):
        self._inverse_secret("client_secret")

    def _inverse_refresh_token(self):
        self._inverse_secret("refresh_token")

    @api.multi
    def _secret(self, name):
        self.ensure_one()
        return self.env["sme.accounting.credential"]._read(self, name)

    # ------------------------------------------------------------------
    # Cursors
    # ------------------------------------------------------------------
    @api.multi
    def _cursor(self, entity):
        self.ensure_one()
        return json.loads(self.sync_state or "{}").get(entity, {})

    @api.multi
    def _set_cursor(self, entity, **values):
        self.ensure_one()
        state = json.loads(self.sync_state or "{}")
        state.setdefault(entity, {}).update(values, last_sync=fields.Datetime.now())
        self.sudo().write({"sync_state": json.dumps(state, sort_keys=True),
                           "last_sync_date": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.multi
    def action_test_connection(self):
        self.ensure_one()
        try:
            seconds, answer = self._connector().test_connection()
        except ConnectorError as error:
            raise UserError(_("Connection failed: %s") % error)
        message = _("Connected in %d ms. The server says: %s") % (
            seconds * 1000, redact(answer, self._secrets_to_hide()))
        self.message_post(body=message)
        return self._notify(_("Test connection"), message)

    def _notify(self, title, message):
        # Odoo 11 has no notification client action: a small dialog shows it
        # (titled, or the dialog says "Odoo").
        return {
            "name": title, "type": "ir.actions.act_window", "res_model": "sme.accounting.message",
            "view_mode": "form", "target": "new",
            "res_id": self.env["sme.accounting.message"].create({"message": message}).id,
        }

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
        return self._notify(_("Sync now"), (_("1 sync job queued: see Sync jobs and Sync logs.") if len(jobs) == 1 else
                             _("%d sync jobs queued: see Sync jobs and Sync logs.") % len(jobs))
                            if jobs else _("Nothing to pull: no entity is set to sync from the accounting system."))

    @api.multi
    def _compute_running_progress(self):
        running = self.env["sme.accounting.sync.log"].sudo().search([
            ("backend_id", "in", self.ids), ("state", "=", "running"), ("direction", "=", "pull")])
        for backend in self:
            backend.running_progress = "\n".join(
                _("Pulling %s: %s") % (log.entity, log.progress or _("starting"))
                for log in running.filtered(lambda log: log.backend_id == backend)) or False

    @api.multi
    def _compute_counts(self):
        waiting = self.env["queue.job"].sudo().search([
            ("model_name", "=", self._name), ("state", "in", ("pending", "enqueued", "started"))])
        for backend in self:
            backend.waiting_job_count = len(waiting.filtered(lambda job: backend.id in (job.record_ids or [])))
            backend.log_count = self.env["sme.accounting.sync.log"].search_count([("backend_id", "=", backend.id)])
            backend.binding_count = self.env["sme.accounting.binding"].search_count(
                [("backend_id", "=", backend.id)])
            backend.conflict_count = self.env["sme.accounting.conflict"].search_count(
                [("backend_id", "=", backend.id), ("state", "=", "open")])
            backend.failure_count = sum(log.failed or 1 for log in backend._open_failure_logs())

    @api.multi
    def _open_failure_logs(self):
        """Logs whose failures still stand: the latest pull of each entity
        (a later pull that took the record clears it), and sends that failed
        in the last 7 days (a person fixes the cause and sends again)."""
        self.ensure_one()
        Log = self.env["sme.accounting.sync.log"]
        latest_pulls = {}
        for log in Log.search([("backend_id", "=", self.id), ("direction", "=", "pull"),
                               ("state", "!=", "running")], order="id desc", limit=500):
            latest_pulls.setdefault(log.entity, log)
        week_ago = fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=7))
        pushes = Log.search([("backend_id", "=", self.id), ("direction", "=", "push"),
                             ("state", "in", ("partial", "failed")), ("create_date", ">=", week_ago)])
        return Log.union(*latest_pulls.values()).filtered(lambda log: log.state in ("partial", "failed")) | pushes

    @api.multi
    def _open_related(self, model, name):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": name, "res_model": model,
                "view_mode": "tree,form", "domain": [("backend_id", "=", self.id)],
                "context": {"default_backend_id": self.id}}

    @api.multi
    def action_view_logs(self):
        return self._open_related("sme.accounting.sync.log", _("Sync logs"))

    @api.multi
    def action_view_bindings(self):
        return self._open_related("sme.accounting.binding", _("Linked records"))

    @api.multi
    def action_view_failures(self):
        action = self._open_related("sme.accounting.sync.log", _("Open failures"))
        action["domain"] = [("id", "in", self._open_failure_logs().ids)]
        return action

    @api.multi
    def action_view_conflicts(self):
        return self._open_related("sme.accounting.conflict", _("Conflicts"))
