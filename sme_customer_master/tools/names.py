"""Customer name sanitising (seed rules: trim, no empty names, short names
become the company's placeholder)."""
import re

DEFAULT_PLACEHOLDER_NAME = "clientCustomer"
MIN_NAME_LENGTH = 2

_WHITESPACE = re.compile(r"\s+")


def sanitize_name(name, placeholder=DEFAULT_PLACEHOLDER_NAME):
    """Trim and collapse whitespace; a name shorter than two characters
    becomes ``placeholder``. Raises ValueError for an empty name."""
    cleaned = _WHITESPACE.sub(" ", name or "").strip()
    if not cleaned:
        raise ValueError("empty name")
    if len(cleaned) < MIN_NAME_LENGTH:
        return placeholder or DEFAULT_PLACEHOLDER_NAME
    return cleaned
