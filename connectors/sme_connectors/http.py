# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""HTTP for every connector (Tally's XML, the JSON of the Busy agent, Marg,
Zoho Books, QuickBooks): one place that turns transport faults and status
codes into the hub's errors."""
import requests

from .base import AuthError, ConnectorError, TransientError


def retry_after(response):
    """The server's Retry-After in seconds, if it gave one."""
    try:
        return float(response.headers.get("Retry-After"))
    except (TypeError, ValueError):
        return None


class HttpTransport(object):
    """``request()`` returns the response of a 2xx (or of a status listed in
    ``passthrough``, for answers the caller reads per record); raises
    TransientError for network faults, timeouts, 429 and 5xx, AuthError for
    401/403 and ConnectorError for other refusals."""

    def __init__(self, system, url, timeout=30.0, session=None, headers=None):
        self.system = system
        self.url = url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = session or requests.Session()
        if headers:
            self.session.headers.update(headers)

    def request(self, method, path, passthrough=(), **kwargs):
        try:
            response = self.session.request(
                method, self.url + path.lstrip("/"), timeout=self.timeout, **kwargs
            )
        except requests.Timeout:
            raise TransientError(
                "%s did not answer within %.0f s" % (self.system, self.timeout)
            ) from None
        except requests.ConnectionError as error:
            raise TransientError(
                "%s is not reachable at %s (%s)"
                % (self.system, self.url, str(error)[-120:])
            ) from None
        except requests.RequestException as error:
            # The answer broke off on the way (IncompleteRead, a bad chunk...):
            # worth another try.
            raise TransientError(
                "%s's answer broke off on the way (%s)"
                % (self.system, str(error)[-120:])
            ) from None
        if response.status_code in passthrough:
            return response
        if response.status_code in (401, 403):
            raise AuthError(
                "%s refused the credentials (HTTP %d): %s"
                % (self.system, response.status_code, _said(response))
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(
                "%s answered HTTP %d: %s"
                % (self.system, response.status_code, _said(response)),
                retry_after=retry_after(response),
            )
        if response.status_code >= 400:
            raise ConnectorError(
                "%s answered HTTP %d: %s"
                % (self.system, response.status_code, _said(response))
            )
        return response


def _said(response):
    """The server's own message, short (never the request: it may hold secrets)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason
    if isinstance(body, dict):
        return str(
            body.get("message") or body.get("Message") or body.get("error") or body
        )[:200]
    return str(body)[:200]
