# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks of the arguments that external systems send to the public
methods (XML-RPC, JSON-RPC), made before anything reaches the ORM.

XML-RPC carries whole numbers, doubles (NaN and infinity included),
strings, booleans, arrays, structs, nil, dates and binaries; a value of the
wrong kind must be answered with a refusal that names the argument and what
is expected, never with the traceback of whatever later chokes on it.
"""
import math
from numbers import Real

from odoo import _
from odoo.exceptions import UserError

from .characters import code_point, first_control_character

MAX_RECORD_ID = 2**31 - 1  # PostgreSQL ``integer``, the type of every id
MAX_AMOUNT = 1e15  # beyond what any credit limit or price means
_TYPE_NAMES = {
    bool: "a boolean",
    int: "a whole number",
    float: "a number",
    str: "a text",
    list: "a list",
    tuple: "a list",
    dict: "a dictionary",
    type(None): "nothing",
}


class InvalidArgument(UserError):
    """An argument of a public method is not what it must be. A UserError,
    so the RPC layers answer it as a plain refusal."""

    def __init__(self, argument, expected, value):
        super(InvalidArgument, self).__init__(
            "%s must be %s, not %s." % (argument, expected, describe(value))
        )
        self.argument = argument


def describe(value):
    """A short, printable description of what was received."""
    kind = _TYPE_NAMES.get(type(value), "a value of type %s" % type(value).__name__)
    if isinstance(value, (bool, type(None))):
        return kind
    if isinstance(value, (list, tuple, dict)):
        return "%s of %d item(s)" % (kind, len(value))
    text = repr(value)  # repr escapes control characters: the message stays printable
    if len(text) > 40:
        text = text[:37] + "..."
    return "%s (%s)" % (kind, text)


def is_empty(value):
    """``None``, ``False`` and ``''`` mean "no value" in every argument.
    (No ``==`` on unknown types: XML-RPC dates raise TypeError on it.)"""
    return value is None or value is False or (isinstance(value, str) and value == "")


def is_zero(value):
    return type(value) is int and value == 0


def record_id(argument, value, required=False):
    """A record id (1 to 2147483647), or False when empty and not required."""
    if is_empty(value) and not required:
        return False
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_RECORD_ID
    ):
        raise InvalidArgument(
            argument, "a record id (a whole number from 1 to %d)" % MAX_RECORD_ID, value
        )
    return value


def whole_number(argument, value, minimum, maximum):
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not minimum <= value <= maximum
    ):
        raise InvalidArgument(
            argument, "a whole number from %d to %d" % (minimum, maximum), value
        )
    return value


def text(argument, value, max_length, required=False, multiline=False):
    """A text of at most ``max_length`` characters without control
    characters (line breaks and tabs only where ``multiline``); False when
    empty and not required."""
    if is_empty(value) and not required:
        return False
    expected = "a text of 1 to %d characters" % max_length
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise InvalidArgument(argument, expected, value)
    control = first_control_character(value)
    if control:
        raise UserError(
            _("%s must not contain control characters: %s at position %d.")
            % (argument, code_point(control[1]), control[0] + 1)
        )
    if not multiline:
        for position, char in enumerate(value):
            if char in "\n\r":
                raise UserError(
                    _("%s must be a single line: line break at position %d.")
                    % (argument, position + 1)
                )
    return value


def amount(argument, value, minimum=0.0, maximum=MAX_AMOUNT):
    """A finite number from ``minimum`` to ``maximum`` (NaN and infinity
    are refused)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not math.isfinite(value)
        or not minimum <= value <= maximum
    ):
        raise InvalidArgument(
            argument,
            "a number from %s to %s" % (_number(minimum), _number(maximum)),
            value,
        )
    return float(value)


def boolean(argument, value):
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidArgument(argument, "true or false", value)
    return value


def choice(argument, value, choices, required=False):
    """One of ``choices`` (strings), or False when empty and not required."""
    if is_empty(value) and not required:
        return False
    if not isinstance(value, str) or value not in choices:
        raise InvalidArgument(argument, "one of %s" % ", ".join(sorted(choices)), value)
    return value


def dictionary(argument, value):
    if not isinstance(value, dict):
        raise InvalidArgument(argument, "a dictionary", value)
    return value


def _number(value):
    return "%g" % value
