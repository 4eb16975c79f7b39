"""Refusals over XML-RPC as clear faults, not tracebacks.

Odoo 11 turns a ``UserError`` into a short "warning" fault but sends any
other exception as its Python traceback. A ``ValidationError`` (what a field
constraint raises: an invalid phone, email or GSTIN, a Marg connection set to
push) is a refusal of bad input like a ``UserError``, so it is answered the
same way. Other exceptions keep Odoo's behaviour.
"""
from odoo import exceptions
from odoo.service import wsgi_server


def _as_user_error(handler):
    def handle(error):
        if isinstance(error, exceptions.ValidationError) and not isinstance(error, exceptions.UserError):
            error = exceptions.UserError(error.name)
        return handler(error)
    handle.sme_clear_faults = True
    return handle


if not getattr(wsgi_server.xmlrpc_handle_exception_int, "sme_clear_faults", False):
    wsgi_server.xmlrpc_handle_exception_int = _as_user_error(wsgi_server.xmlrpc_handle_exception_int)
    wsgi_server.xmlrpc_handle_exception_string = _as_user_error(wsgi_server.xmlrpc_handle_exception_string)
