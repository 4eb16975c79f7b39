# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""OAuth 2.0 for the connectors that need it (Zoho Books, QuickBooks Online):
the authorization-code exchange and the refresh, as each vendor's token
endpoint takes them. Plain Python: the Odoo side stores the tokens
(encrypted) and serialises refreshes with a row lock."""
import time
from collections import namedtuple
from urllib.parse import urlencode

import requests

from .base import AuthError, ProtocolError, TransientError
from .http import retry_after

# ``refresh_token`` is None when the server kept the old one (Zoho);
# QuickBooks rotates it and the new one must be saved before anything else.
TokenSet = namedtuple(
    "TokenSet", ["access_token", "expires_at", "refresh_token", "extra"]
)
# Refresh this long before the access token expires.
EXPIRY_MARGIN = 300
# How long to wait when the token server says too many tokens were asked
# for: Zoho allows ten access tokens per ten minutes per refresh token and
# answers HTTP 400 "Access Denied" past that; the oldest of those ten leaves
# the window at the latest ten minutes later.
TOKEN_THROTTLE_WAIT = 600


class ConsentRevoked(AuthError):
    """The refresh token was revoked or expired: an admin must reconnect."""


class OAuthClient(object):
    def __init__(
        self,
        authorize_url,
        token_url,
        client_id,
        client_secret,
        scope,
        basic_auth=False,
        timeout=30.0,
        session=None,
        extra_authorize_params=None,
    ):
        self.authorize_url = authorize_url
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.basic_auth = (
            basic_auth  # QuickBooks: client id/secret as HTTP Basic; Zoho: in the form
        )
        self.timeout = timeout
        self.session = session or requests.Session()
        self.extra_authorize_params = extra_authorize_params or {}

    def authorization_url(self, redirect_uri, state):
        params = dict(
            self.extra_authorize_params,
            client_id=self.client_id,
            response_type="code",
            scope=self.scope,
            redirect_uri=redirect_uri,
            state=state,
        )
        return "%s?%s" % (self.authorize_url, urlencode(sorted(params.items())))

    def exchange_code(self, code, redirect_uri):
        return self._token_call(
            {
                "grant_type": "authorization_code",
                "code": code.strip(),
                "redirect_uri": redirect_uri,
            }
        )

    def refresh(self, refresh_token):
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    def _token_call(self, form):
        auth = None
        if self.basic_auth:
            auth = (self.client_id, self.client_secret)
        else:
            form = dict(
                form, client_id=self.client_id, client_secret=self.client_secret
            )
        try:
            response = self.session.post(
                self.token_url,
                data=form,
                auth=auth,
                timeout=self.timeout,
                headers={"Accept": "application/json"},
            )
        except requests.RequestException as error:
            raise TransientError(
                "the token server %s is not reachable (%s)"
                % (self.token_url, str(error)[-100:])
            ) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(
                "the token server answered HTTP %d" % response.status_code,
                retry_after=retry_after(response),
            )
        try:
            body = response.json()
        except ValueError:
            raise ProtocolError(
                "the token server answered something that is not JSON (HTTP %d)"
                % response.status_code
            ) from None
        error = body.get("error")
        if _throttled(body):
            # Not a refusal of the consent: the server wants fewer new tokens.
            # Wait, keep the connection.
            raise TransientError(
                "the token server %s refuses new access tokens for a while (too many asked "
                "for: %s); retrying later"
                % (self.token_url, body.get("error_description") or error),
                retry_after=retry_after(response) or TOKEN_THROTTLE_WAIT,
            )
        if error or response.status_code >= 400 or "access_token" not in body:
            # invalid_grant (Zoho: 'invalid_code'): the code or refresh token is dead.
            if error in (
                "invalid_grant",
                "invalid_code",
                "invalid_token",
            ) or response.status_code in (400, 401):
                raise ConsentRevoked(
                    "the authorization was refused (%s): reconnect the connection from "
                    "its form"
                    % (body.get("error_description") or error or response.status_code)
                )
            raise AuthError(
                "the token server refused: %s"
                % (body.get("error_description") or error)
            )
        extra = {
            k: v
            for k, v in body.items()
            if k not in ("access_token", "refresh_token", "expires_in")
        }
        return TokenSet(
            access_token=body["access_token"],
            expires_at=time.time() + float(body.get("expires_in") or 3600),
            refresh_token=body.get("refresh_token"),
            extra=extra,
        )


def _throttled(body):
    """Zoho's answer past its token limit: HTTP 400 ``{"error": "Access
    Denied", "error_description": "You have made too many requests
    continuously..."}`` (a throttle, not a revoked consent)."""
    error = str(body.get("error") or "").strip().lower()
    description = str(body.get("error_description") or "").lower()
    return error == "access denied" or (
        error in ("", "access_denied") and "too many requests" in description
    )


class BearerAuth(object):
    """What a connector holds. ``token_source(stale)`` is the Odoo side: it
    returns ``(access_token, expires_at)``, refreshing under a row lock when
    the stored token is ``stale`` (it failed with a 401) or about to expire,
    so that concurrent jobs refresh once. The token is kept here until it
    nears expiry: a paged read does not go to the database for every page."""

    def __init__(self, token_source):
        self.token_source = token_source
        self.token, self.expires_at, self.margin = None, 0.0, EXPIRY_MARGIN

    def get(self):
        if not self.token or self.expires_at - time.time() <= self.margin:
            self._keep(self.token_source(None))
        return self.token

    def renew(self, stale_token):
        self._keep(self.token_source(stale_token))
        return self.token

    def _keep(self, answer):
        """Keep a token; one that lives less than twice the margin is kept
        for half its life, not asked for again on every call."""
        self.token, self.expires_at = answer
        self.margin = min(
            EXPIRY_MARGIN, max(0.0, (float(self.expires_at or 0) - time.time()) / 2.0)
        )

    def send(self, request):
        """``request(token)`` → response; after a 401 (expired early, or
        revoked) once more with a renewed token, then the answer as it is."""
        token = self.get()
        response = request(token)
        if response.status_code == 401:
            response = request(self.renew(token))
        return response
