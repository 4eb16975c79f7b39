# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Secrets out of every text that leaves a connector.

An accounting system may echo a credential back in an error ("invalid
token: Bearer 1000.ab12..."): that text would end up in the connection's
last error, the sync log, the job's result, queue_job's traceback and the
server log. ``redact`` removes the connection's own secrets (known values)
and anything shaped like a credential (the word that introduces it, a JWT,
a long opaque token); ``RedactingClient`` applies it to what a client
raises and to the errors of what it returns.
"""
import re

from .base import Records

HIDDEN = "********"

# "<scheme or key word> <value>": Bearer / Zoho-oauthtoken / Basic headers,
# key=value and "key": "value" pairs whose key names a credential.
_INTRODUCED = re.compile(
    r"(?i)(\b(?:bearer|zoho-oauthtoken|basic|token|access[_-]?token|refresh[_-]?token|"
    r"api[_-]?key|"
    r"client[_-]?secret|secret|password|passwd|margkey|authorization)\b[\"']?\s*[:=]?\s*[\"']?)"
    r"(?!(?:bearer|zoho-oauthtoken|basic)\b)([A-Za-z0-9._~+/=-]{6,})"
)
# A JSON Web Token, wherever it stands.
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
# A long opaque run of letters and digits mixed (an access token or key
# quoted without its name); ids with hyphens (GUIDs) and plain numbers are
# kept, they are what a person needs to find the record.
_OPAQUE = re.compile(
    r"\b(?=[A-Za-z0-9._~+/]*[0-9])(?=[A-Za-z0-9._~+/]*[A-Za-z])[A-Za-z0-9._~+/]{32,}={0,2}"
)


def redact(text, secrets=()):
    """``text`` without the given secret values nor credential-shaped words."""
    if not text:
        return text
    text = str(text)
    for secret in sorted(
        (s for s in secrets if s and len(s) >= 4), key=len, reverse=True
    ):
        text = text.replace(secret, HIDDEN)
    text = _JWT.sub(HIDDEN, text)
    text = _INTRODUCED.sub(lambda match: match.group(1) + HIDDEN, text)
    return _OPAQUE.sub(HIDDEN, text)


def redacted_error(error, secrets=()):
    """The same exception with its message redacted (class and attributes kept)."""
    args = tuple(
        redact(arg, secrets) if isinstance(arg, str) else arg for arg in error.args
    )
    if args != error.args:
        error.args = args
    return error


class RedactingClient(object):
    """Wraps a connector client: every exception it raises and every
    ``error`` of a result it returns (WriteResult) is redacted."""

    def __init__(self, client, secrets=()):
        self._client = client
        self._secrets = tuple(s for s in secrets if s)

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            try:
                result = attribute(*args, **kwargs)
            except Exception as error:
                raise redacted_error(error, self._secrets) from None
            if hasattr(result, "__next__"):
                return (
                    Records(self._iterate(result), source=result)
                    if isinstance(result, Records)
                    else self._iterate(result)
                )
            return self._clean(result)

        return call

    def _iterate(self, iterator):
        try:
            for item in iterator:
                yield item
        except Exception as error:
            raise redacted_error(error, self._secrets) from None

    def _clean(self, result):
        error = getattr(result, "error", None)
        if isinstance(error, str) and hasattr(result, "_replace"):
            return result._replace(error=redact(error, self._secrets))
        return result
