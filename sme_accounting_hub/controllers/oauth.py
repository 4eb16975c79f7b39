# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.sme_accounting_settings_oauth import CALLBACK_PATH


class OAuthCallback(http.Controller):
    """Where Zoho / QuickBooks send the admin back after consent."""

    @http.route(CALLBACK_PATH, type="http", auth="user")
    def callback(self, state=None, code=None, error=None, realmId=None, **kwargs):
        settings = _settings_with_state(state) if state else None
        if not settings:
            return Response(
                "This authorization link is unknown or was already used: start again "
                "with Connect on the connection's settings.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        settings = settings.sudo(request.env.uid)
        backend = settings.backend_id
        backend.check_access_rule("write")
        if error or not code:
            settings.sudo().write({"oauth_state": False})
            backend.sudo().write(
                {"last_error": "Authorization refused: %s" % (error or "no code")}
            )
        else:
            try:
                settings._oauth_finish(code, realm_id=realmId)
            except UserError as failure:
                settings.sudo().write({"oauth_state": False})
                backend.sudo().write({"last_error": failure.name})
        # Back to the form inside the app (menu and breadcrumb), not a bare record page.
        action = request.env.ref("sme_accounting_hub.sme_accounting_backend_action")
        menu = request.env.ref(
            "sme_customer_master.sme_hub_menu_root", raise_if_not_found=False
        )
        return redirect(
            "/web#id=%d&model=sme.accounting.backend&view_type=form&action=%d%s"
            % (backend.id, action.id, "&menu_id=%d" % menu.id if menu else "")
        )


def _settings_with_state(state):
    """The OAuth settings record (of any OAuth system) that sent the admin
    to consent with this ``state``."""
    for model in request.env["sme.accounting.settings.oauth"]._inherit_children:
        if request.env[model]._abstract:
            continue
        found = request.env[model].sudo().search([("oauth_state", "=", state)], limit=1)
        if found:
            return found
    return None
