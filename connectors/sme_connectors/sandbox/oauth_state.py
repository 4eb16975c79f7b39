# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An OAuth 2.0 authorization server in memory, for the Zoho Books and
QuickBooks sandboxes: authorization codes (single use, 10 minutes), access
tokens that expire, refresh tokens that stay (Zoho) or rotate (QuickBooks),
revocation, and (Zoho) a limit on new access tokens per refresh token:
``token_limit`` tokens per ``token_window`` seconds, HTTP 400 "Access
Denied" past it."""
import base64
import secrets
import threading
import time


class OAuthState(object):

    THROTTLED = {
        "error": "Access Denied",
        "error_description": "You have made too many requests continuously. "
        "Please try again after some time.",
    }

    def __init__(
        self,
        clients,
        rotate_refresh_tokens=False,
        access_seconds=3600,
        invalid_grant="invalid_grant",
        token_limit=None,
        token_window=600.0,
    ):
        self.clients = dict(clients)  # client_id → client_secret
        self.rotate = rotate_refresh_tokens
        self.access_seconds = access_seconds
        self.invalid_grant = (
            invalid_grant  # Zoho says 'invalid_code', QuickBooks 'invalid_grant'
        )
        self.codes = {}  # code → (client_id, redirect_uri, expiry, extra)
        self.access = {}  # token → (expiry, extra)
        self.refresh = {}  # token → (client_id, extra)
        self.refresh_calls = 0
        self.token_limit = token_limit  # None: no limit (QuickBooks)
        self.token_window = token_window
        self.issued = {}  # refresh token → times access tokens were made from it
        self.throttled_calls = 0
        self.lock = threading.Lock()

    def issue_code(self, client_id, redirect_uri, extra=None):
        code = "code-" + secrets.token_hex(12)
        self.codes[code] = (client_id, redirect_uri, time.time() + 600, extra or {})
        return code

    def _client(self, form, authorization):
        if authorization and authorization.startswith("Basic "):
            client_id, _, secret = (
                base64.b64decode(authorization[6:]).decode("utf-8").partition(":")
            )
        else:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        return (
            client_id
            if client_id in self.clients and self.clients[client_id] == secret
            else None
        )

    def token(self, form, authorization=None):
        """``(status, body)`` of the token endpoint."""
        with self.lock:
            client_id = self._client(form, authorization)
            if not client_id:
                return 401, {"error": "invalid_client"}
            grant = form.get("grant_type")
            if grant == "authorization_code":
                found = self.codes.pop(form.get("code"), None)
                if (
                    not found
                    or found[0] != client_id
                    or found[2] < time.time()
                    or found[1] != form.get("redirect_uri")
                ):
                    return 400, {"error": self.invalid_grant}
                return 200, self._grant(client_id, found[3], new_refresh=True)
            if grant == "refresh_token":
                self.refresh_calls += 1
                found = self.refresh.get(form.get("refresh_token"))
                if not found or found[0] != client_id:
                    return 400, {"error": self.invalid_grant}
                if self._over_token_limit(form["refresh_token"]):
                    self.throttled_calls += 1
                    return 400, dict(self.THROTTLED)
                if self.rotate:
                    del self.refresh[form["refresh_token"]]
                    return 200, self._grant(client_id, found[1], new_refresh=True)
                return 200, self._grant(client_id, found[1], new_refresh=False)
            return 400, {"error": "unsupported_grant_type"}

    def _over_token_limit(self, refresh_token):
        """Counts an access token made from this refresh token; True (and
        not counted) when the window already holds ``token_limit`` of them."""
        if self.token_limit is None:
            return False
        now = time.time()
        times = [
            t for t in self.issued.get(refresh_token, []) if now - t < self.token_window
        ]
        if len(times) >= self.token_limit:
            self.issued[refresh_token] = times
            return True
        self.issued[refresh_token] = times + [now]
        return False

    def forget_issued(self):
        """The token window starts afresh (as if ten minutes had passed)."""
        with self.lock:
            self.issued.clear()

    def _grant(self, client_id, extra, new_refresh):
        access = "access-" + secrets.token_hex(16)
        self.access[access] = (time.time() + self.access_seconds, extra)
        body = {
            "access_token": access,
            "expires_in": self.access_seconds,
            "token_type": "Bearer",
        }
        if new_refresh:
            refresh = "refresh-" + secrets.token_hex(16)
            self.refresh[refresh] = (client_id, extra)
            body["refresh_token"] = refresh
        return body

    def check(self, access_token):
        """The token's extra data if it is live, else None."""
        found = self.access.get(access_token or "")
        if not found or found[0] < time.time():
            return None
        return found[1]

    def expire_all_access_tokens(self):
        for token, (_expiry, extra) in list(self.access.items()):
            self.access[token] = (0, extra)

    def revoke(self, token):
        """Revoke a refresh token (and the access tokens: the user withdrew consent)."""
        with self.lock:
            self.refresh.pop(token, None)
            self.access.clear()

    def revoke_all(self):
        with self.lock:
            self.refresh.clear()
            self.access.clear()


class OAuthControl(object):
    """The ``/_sandbox/`` commands of a sandbox with an authorization server:
    ``code`` (what the consent page hands out, for paste-the-code flows),
    ``expire_tokens`` and ``revoke_all``. Needs ``self.oauth`` and
    ``self.demo_client``; ``grant_extra(values)`` adds what a grant carries
    (QuickBooks: the realm)."""

    def grant_extra(self, values):
        return {}

    def control(self, command, values):
        if command == "code":
            extra = self.grant_extra(values)
            code = self.oauth.issue_code(
                values.get("client_id", self.demo_client[0]),
                values.get("redirect_uri", ""),
                extra,
            )
            return 200, dict(
                {"code": code},
                **({"realmId": extra["realm"]} if "realm" in extra else {}),
            )
        if command == "expire_tokens":
            self.oauth.expire_all_access_tokens()
            return 200, {"ok": True}
        if command == "revoke_all":
            self.oauth.revoke_all()
            return 200, {"ok": True}
        if command == "token_window_reset":
            self.oauth.forget_issued()
            return 200, {"ok": True}
        return super(OAuthControl, self).control(command, values)
