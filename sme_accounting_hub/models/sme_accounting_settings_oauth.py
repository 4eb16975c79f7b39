# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets as random_tokens
import time

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import SUPERUSER_ID, _, api, fields, models, registry
from odoo.exceptions import UserError

from sme_connectors.base import AuthError, ConnectorError
from sme_connectors.oauth import EXPIRY_MARGIN, BearerAuth

CALLBACK_PATH = "/sme_accounting_hub/oauth/callback"


class SmeAccountingSettingsOauth(models.AbstractModel):
    """Settings of systems connected by OAuth 2.0 (their client class
    ``needs_oauth``: Zoho Books, QuickBooks Online): connect from the
    settings form, tokens kept encrypted with the connection's other
    secrets, refreshed once under a lock."""

    _name = "sme.accounting.settings.oauth"
    _inherit = "sme.accounting.settings"
    _description = "OAuth settings of an accounting connection"

    oauth_client_id = fields.Char(
        "Client ID", help="The OAuth client (app) registered with the vendor."
    )
    oauth_url = fields.Char(
        "Authorization server",
        help="Leave empty for the vendor's own (set for the sandbox).",
    )
    oauth_state = fields.Char(copy=False, readonly=True, groups="base.group_system")
    oauth_connected = fields.Boolean("Connected", compute="_compute_oauth_connected")
    client_secret = fields.Char(
        compute="_compute_secrets", inverse="_inverse_secrets", string="Client secret"
    )
    refresh_token = fields.Char(
        compute="_compute_secrets", inverse="_inverse_secrets", string="Refresh token"
    )

    @api.multi
    def _compute_oauth_connected(self):
        stored = self.env["sme.accounting.credential"]._rows(
            [s.backend_id.id for s in self if s.backend_id.id], "refresh_token"
        )
        connected = {backend_id for _id, backend_id, _name, _token in stored}
        for settings in self:
            settings.oauth_connected = settings.backend_id.id in connected

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsOauth, self)._connector_settings()
        values.update(oauth_url=self.oauth_url or None, auth=self._oauth_auth())
        return values

    # ------------------------------------------------------------------
    # The vendor's OAuth client
    # ------------------------------------------------------------------
    @api.multi
    def _oauth_client(self):
        self.ensure_one()
        client_class = self.backend_id._client_class()
        secret = self._secret("client_secret")
        if not (self.oauth_client_id and secret):
            raise UserError(
                _("Set the client ID and the client secret of your %s app first.")
                % client_class.label
            )
        if not client_class.needs_oauth:
            raise UserError(_("%s does not use OAuth.") % client_class.label)
        return client_class.oauth_client(
            self.oauth_client_id, secret, self._connector_settings()
        )

    @api.model
    def _oauth_redirect_uri(self):
        base = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("web.base.url", "http://localhost:8069")
        )
        return base.rstrip("/") + CALLBACK_PATH

    # ------------------------------------------------------------------
    # Connecting (authorization-code flow)
    # ------------------------------------------------------------------
    @api.multi
    def action_oauth_connect(self):
        """Send the admin to the vendor's consent page; it comes back to
        ``/sme_accounting_hub/oauth/callback`` with a code."""
        self.ensure_one()
        state = random_tokens.token_urlsafe(24)
        self.sudo().write({"oauth_state": state})
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self._oauth_client().authorization_url(
                self._oauth_redirect_uri(), state
            ),
        }

    @api.multi
    def action_oauth_paste_code(self):
        """Where the vendor cannot redirect to Odoo (no public address): the
        admin copies the code from the vendor's page into a small dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sme.accounting.oauth.code",
            "view_mode": "form",
            "target": "new",
            "context": {"default_backend_id": self.backend_id.id},
            "name": _("Paste the authorization code"),
        }

    @api.multi
    def _oauth_finish(self, code, realm_id=None):
        """Exchange the code for tokens and keep them (encrypted)."""
        self.ensure_one()
        backend = self.backend_id
        try:
            tokens = self._oauth_client().exchange_code(
                code, self._oauth_redirect_uri()
            )
        except ConnectorError as error:
            raise UserError(
                _("%s refused the code: %s") % (backend.name, error)
            ) from None
        self.env["sme.accounting.credential"]._store(
            backend, "refresh_token", tokens.refresh_token
        )
        self._oauth_store_access(tokens)
        values = {"oauth_state": False}
        if realm_id and "realm_id" in self._fields:
            values[
                "realm_id"
            ] = realm_id  # QuickBooks says there which company was granted
        self.sudo().write(values)
        backend_values = {"last_error": False}
        if backend.state == "error":
            backend_values["state"] = "active"
        backend.sudo().write(backend_values)
        backend.message_post(
            body=_(
                "Connected: the authorization was granted and the tokens are stored."
            )
        )
        return True

    # ------------------------------------------------------------------
    # Access tokens
    # ------------------------------------------------------------------
    @api.multi
    def _oauth_auth(self):
        """What a connector gets: tokens on demand, one renewal after a 401."""
        self.ensure_one()
        return BearerAuth(lambda stale: self._oauth_access_token(stale))

    @api.multi
    def _oauth_access_token(self, stale=None):
        """A usable access token and its expiry time. Refreshing happens in a transaction of its
        own, under a lock on the refresh token's row: jobs that need a token
        at the same moment wait, and all but the first find it fresh. The
        refresh token a vendor rotates is committed before anything uses the
        new access token, so a crash never leaves Odoo with a dead one."""
        self.ensure_one()
        with registry(self.env.cr.dbname).cursor() as cr:
            # READ COMMITTED: once the lock is ours, the next statements see the
            # token another job committed while this one waited (Odoo's usual
            # REPEATABLE READ would show the expired one still).
            cr._cnx.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute(
                "SELECT id FROM sme_accounting_credential WHERE backend_id = %s AND "
                "name = 'refresh_token' FOR UPDATE",
                (self.backend_id.id,),
            )
            if not cr.fetchone():
                # Not committed yet (a backend connected in this very transaction): work
                # in ours.
                env = self.env(user=SUPERUSER_ID)
            settings = env[self._name].browse(self.id)
            return settings._oauth_token_locked(stale, commit=env.cr is cr)

    @api.multi
    def _oauth_token_locked(self, stale, commit):
        Credential = self.env["sme.accounting.credential"]
        backend = self.backend_id
        token = Credential._read(backend, "access_token")
        expires_at = float(Credential._read(backend, "access_token_expiry") or 0)
        if token and token != stale and expires_at - time.time() > EXPIRY_MARGIN:
            return token, expires_at
        refresh_token = Credential._read(backend, "refresh_token")
        if not refresh_token:
            raise AuthError(
                _("%s is not connected: use Connect on its settings.") % backend.name
            )
        tokens = self._oauth_client().refresh(refresh_token)
        if tokens.refresh_token and tokens.refresh_token != refresh_token:
            Credential._store(backend, "refresh_token", tokens.refresh_token)
            if commit:
                self.env.cr.commit()  # the newest refresh token is safe before it is used
        self._oauth_store_access(tokens)
        if commit:
            self.env.cr.commit()
        return tokens.access_token, tokens.expires_at

    @api.multi
    def _oauth_store_access(self, tokens):
        Credential = self.env["sme.accounting.credential"]
        Credential._store(self.backend_id, "access_token", tokens.access_token)
        Credential._store(
            self.backend_id, "access_token_expiry", str(tokens.expires_at)
        )
