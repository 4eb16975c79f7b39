# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Refusals over XML-RPC as clear faults, not tracebacks or HTTP errors.

Odoo 11 turns a ``UserError`` into a short "warning" fault but sends any
other exception as its Python traceback. A ``ValidationError`` (what a field
constraint raises: an invalid phone, email or GSTIN, a Marg connection set to
push) is a refusal of bad input like a ``UserError``, so it is answered the
same way. Other exceptions keep Odoo's behaviour.

XML 1.0, the encoding of XML-RPC, cannot carry control characters such as
NUL or vertical tab. Odoo 11 parses the request outside its error handling,
so a request that carries one (or is not XML-RPC at all) is answered with an
HTTP 500; and it writes answers without checking them, so a stored value or
a message holding one produces an answer the client cannot read. Here the
request is parsed inside the error handling (an unreadable request is a
fault naming the problem), and what XML cannot carry is replaced in answers
(U+FFFD in values, the code point in fault messages).
"""
import re
from xmlrpc import client as xmlrpclib

import werkzeug.wrappers

import odoo
from odoo import exceptions
from odoo.service import wsgi_server

from .tools.characters import XML_UNSAFE, code_point

_RAW_CONTROL = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHARACTER_REFERENCE = re.compile(b"&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _as_user_error(handler):
    def handle(error):
        if isinstance(error, exceptions.ValidationError) and not isinstance(
            error, exceptions.UserError
        ):
            error = exceptions.UserError(error.name)
        return handler(error)

    handle.sme_clear_faults = True
    return handle


def _first_unsafe_character(data):
    """``(byte offset, character)`` of the first character of a request
    body that XML 1.0 cannot carry, raw or as a character reference."""
    found = []
    raw = _RAW_CONTROL.search(data)
    if raw:
        found.append((raw.start(), chr(data[raw.start()])))
    for reference in _CHARACTER_REFERENCE.finditer(data):
        body = reference.group(1)
        number = int(body[1:], 16) if body[:1] in (b"x", b"X") else int(body)
        if number > 0x10FFFF or XML_UNSAFE.match(chr(number)):
            found.append((reference.start(), chr(min(number, 0x10FFFF))))
            break
    return min(found) if found else None


def _unreadable_request_message(data, error):
    """What is wrong with a request body that is not readable XML-RPC."""
    unsafe = _first_unsafe_character(data)
    if unsafe:
        return (
            "The request carries the control character %s (at byte %d), which XML-RPC "
            "(XML 1.0) cannot carry: remove control characters such as NUL or vertical tab "
            "from the values sent." % (code_point(unsafe[1]), unsafe[0])
        )
    return "The request is not valid XML-RPC: %s." % error


def _xml_safe_fault(response):
    """A fault whose message holds characters XML cannot carry names them."""
    return XML_UNSAFE.sub(lambda match: "[%s]" % code_point(match.group(0)), response)


def wsgi_xmlrpc(environ, start_response):
    """Odoo 11's ``wsgi_xmlrpc`` (same routes, same fault codes), with the
    request parsed inside the error handling and answers XML can carry."""
    if environ["REQUEST_METHOD"] != "POST" or not environ["PATH_INFO"].startswith(
        "/xmlrpc/"
    ):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    data = environ["wsgi.input"].read(length)
    string_faultcode = True
    service = environ["PATH_INFO"][len("/xmlrpc/") :]
    if environ["PATH_INFO"].startswith("/xmlrpc/2/"):
        service = service[len("2/") :]
        string_faultcode = False
    handle_exception = (
        wsgi_server.xmlrpc_handle_exception_string
        if string_faultcode
        else wsgi_server.xmlrpc_handle_exception_int
    )
    try:
        params, method = xmlrpclib.loads(data)
    except Exception as error:  # expat's, or a value of the wrong form (<int>x</int>)
        # Nothing was run: a client error, answered as a plain refusal.
        response = _xml_safe_fault(
            handle_exception(
                exceptions.UserError(_unreadable_request_message(data, error))
            )
        )
    else:
        try:
            result = odoo.http.dispatch_rpc(service, method, params)
            response = xmlrpclib.dumps((result,), methodresponse=1, allow_none=False)
            response = XML_UNSAFE.sub("\ufffd", response)
        except Exception as e:
            response = _xml_safe_fault(handle_exception(e))
    return werkzeug.wrappers.Response(response=response, mimetype="text/xml")(
        environ, start_response
    )


wsgi_xmlrpc.sme_clear_faults = True

if not getattr(wsgi_server.xmlrpc_handle_exception_int, "sme_clear_faults", False):
    wsgi_server.xmlrpc_handle_exception_int = _as_user_error(
        wsgi_server.xmlrpc_handle_exception_int
    )
    wsgi_server.xmlrpc_handle_exception_string = _as_user_error(
        wsgi_server.xmlrpc_handle_exception_string
    )
if not getattr(wsgi_server.wsgi_xmlrpc, "sme_clear_faults", False):
    # application_unproxied looks the handler up in the module at each request.
    wsgi_server.wsgi_xmlrpc = wsgi_xmlrpc
