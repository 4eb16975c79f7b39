import secrets as random_tokens
import time

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import SUPERUSER_ID, _, api, fields, models, registry
from odoo.exceptions import UserError

from ..connectors.base import AuthError, ConnectorError
from ..connectors.oauth import EXPIRY_MARGIN, BearerAuth

CALLBACK_PATH = "/sme_accounting_hub/oauth/callback"


class SmeAccountingBackend(models.Model):
    """OAuth 2.0 connections (Zoho Books, QuickBooks Online): connect from
    the form, tokens kept encrypted, refreshed once under a lock."""

    _inherit = "sme.accounting.backend"

    oauth_client_id = fields.Char("Client ID", help="The OAuth client (app) registered with the vendor.")
    oauth_url = fields.Char("Authorization server", help="Leave empty for the vendor's own (set for the sandbox).")
    oauth_state = fields.Char(copy=False, readonly=True, groups="base.group_system")
    zoho_region = fields.Selection([("in", "India (zoho.in)"), ("com", "United States (zoho.com)"),
                                    ("eu", "Europe (zoho.eu)"), ("com.au", "Australia (zoho.com.au)"),
                                    ("jp", "Japan (zoho.jp)")], "Zoho data centre", default="in")
    zoho_organization_id = fields.Char("Zoho organization ID")
    qbo_realm_id = fields.Char("QuickBooks company (realmId)")
    qbo_environment = fields.Selection([("production", "Production"), ("sandbox", "Intuit sandbox company")],
                                       "QuickBooks environment", default="production")
    qbo_sales_item = fields.Char("QuickBooks item for invoice lines", default="Sales",
                                 help="QuickBooks needs a product/service on every invoice line: the lines "
                                      "sent from Odoo use this one (the description says what was sold).")
    oauth_connected = fields.Boolean("Connected", compute="_compute_oauth_connected")

    @api.multi
    def _compute_oauth_connected(self):
        stored = self.env["sme.accounting.credential"]._rows([b.id for b in self if b.id], "refresh_token")
        connected = {backend_id for _id, backend_id, _name, _token in stored}
        for backend in self:
            backend.oauth_connected = backend.id in connected

    # ------------------------------------------------------------------
    # The vendor's OAuth client
    # ------------------------------------------------------------------
    @api.multi
    def _oauth_client(self):
        self.ensure_one()
        secret = self._secret("client_secret")
        if not (self.oauth_client_id and secret):
            raise UserError(_("Set the client ID and the client secret of your %s app first.")
                            % self._client_class().label)
        client_class = self._client_class()
        if client_class.needs_oauth:
            return client_class.oauth_client(self.oauth_client_id, secret, {
                "region": self.zoho_region or "in", "oauth_url": self.oauth_url or None, "timeout": self.timeout or 30})
        raise UserError(_("%s does not use OAuth.") % self.system)

    @api.multi
    def _oauth_redirect_uri(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "http://localhost:8069")
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
        return {"type": "ir.actions.act_url", "target": "self",
                "url": self._oauth_client().authorization_url(self._oauth_redirect_uri(), state)}

    @api.multi
    def action_oauth_paste_code(self):
        """Where the vendor cannot redirect to Odoo (no public address): the
        admin copies the code from the vendor's page into a small dialog."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "sme.accounting.oauth.code", "view_mode": "form",
                "target": "new", "context": {"default_backend_id": self.id},
                "name": _("Paste the authorization code")}

    @api.multi
    def _oauth_finish(self, code, realm_id=None):
        """Exchange the code for tokens and keep them (encrypted)."""
        self.ensure_one()
        try:
            tokens = self._oauth_client().exchange_code(code, self._oauth_redirect_uri())
        except ConnectorError as error:
            raise UserError(_("%s refused the code: %s") % (self.name, error))
        self.env["sme.accounting.credential"]._store(self, "refresh_token", tokens.refresh_token)
        self._oauth_store_access(tokens)
        values = {"oauth_state": False, "last_error": False}
        if realm_id:
            values["qbo_realm_id"] = realm_id
        if self.state == "error":
            values["state"] = "active"
        self.sudo().write(values)
        self.message_post(body=_("Connected: the authorization was granted and the tokens are stored."))
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
            cr.execute("SELECT id FROM sme_accounting_credential WHERE backend_id = %s AND name = 'refresh_token' "
                       "FOR UPDATE", (self.id,))
            if not cr.fetchone():
                # Not committed yet (a backend connected in this very transaction): work in ours.
                env = self.env(user=SUPERUSER_ID)
            backend = env[self._name].browse(self.id)
            return backend._oauth_token_locked(stale, commit=env.cr is cr)

    @api.multi
    def _oauth_token_locked(self, stale, commit):
        Credential = self.env["sme.accounting.credential"]
        token = Credential._read(self, "access_token")
        expires_at = float(Credential._read(self, "access_token_expiry") or 0)
        if token and token != stale and expires_at - time.time() > EXPIRY_MARGIN:
            return token, expires_at
        refresh_token = Credential._read(self, "refresh_token")
        if not refresh_token:
            raise AuthError(_("%s is not connected: use Connect on its form.") % self.name)
        tokens = self._oauth_client().refresh(refresh_token)
        if tokens.refresh_token and tokens.refresh_token != refresh_token:
            Credential._store(self, "refresh_token", tokens.refresh_token)
            if commit:
                self.env.cr.commit()  # the newest refresh token is safe before it is used
        self._oauth_store_access(tokens)
        if commit:
            self.env.cr.commit()
        return tokens.access_token, tokens.expires_at

    @api.multi
    def _oauth_store_access(self, tokens):
        Credential = self.env["sme.accounting.credential"]
        Credential._store(self, "access_token", tokens.access_token)
        Credential._store(self, "access_token_expiry", str(tokens.expires_at))
