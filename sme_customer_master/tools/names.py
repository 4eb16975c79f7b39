# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer name sanitising (seed rules: trim, no empty names, short names
become the company's placeholder).

A name needs at least one visible character: a name made only of spaces,
zero-width or other invisible characters is empty. Control characters are
refused rather than silently dropped: they mean the data is damaged."""
import re

from .characters import (
    code_point,
    first_control_character,
    is_removable_format,
    is_visible,
)

DEFAULT_PLACEHOLDER_NAME = "clientCustomer"
MIN_NAME_LENGTH = 2

_WHITESPACE = re.compile(r"\s+")


class InvalidName(ValueError):
    """The name is empty (nothing visible) or carries control characters."""


def sanitize_name(name, placeholder=DEFAULT_PLACEHOLDER_NAME):
    """Trim and collapse whitespace and drop invisible format characters
    (zero-width spaces, bidi overrides, ...; joiners that shape Indic
    scripts stay); a name shorter than two characters becomes
    ``placeholder``. Raises InvalidName for an empty name or one with
    control characters."""
    text = name or ""
    control = first_control_character(text)
    if control:
        raise InvalidName(
            "control character %s at position %d"
            % (code_point(control[1]), control[0] + 1)
        )
    text = "".join(char for char in text if not is_removable_format(char))
    cleaned = _WHITESPACE.sub(" ", text).strip()
    if not any(is_visible(char) for char in cleaned):
        raise InvalidName("empty name")
    if len(cleaned) < MIN_NAME_LENGTH:
        return placeholder or DEFAULT_PLACEHOLDER_NAME
    return cleaned
