# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the Odoo side does with tokens, for the connector tests that run
without it: keep them, refresh on demand, keep the newest refresh token."""
import threading


class TokenJar(object):
    def __init__(self, oauth, tokens):
        self.oauth, self.tokens, self.lock, self.refreshes = (
            oauth,
            tokens,
            threading.Lock(),
            0,
        )

    def __call__(self, stale):
        with self.lock:
            if stale is not None and stale == self.tokens.access_token:
                self.refreshes += 1
                fresh = self.oauth.refresh(self.tokens.refresh_token)
                self.tokens = fresh._replace(
                    refresh_token=fresh.refresh_token or self.tokens.refresh_token
                )
            return self.tokens.access_token, self.tokens.expires_at
