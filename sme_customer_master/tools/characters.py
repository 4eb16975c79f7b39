# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which characters a text value may carry.

Control characters (NUL, vertical tab, ESC, ...) cannot travel in XML 1.0,
the encoding of XML-RPC, and mean nothing in a customer's data; invisible
characters (zero-width spaces, byte order marks, fillers) can make a name
look empty or look like another. Tab, line feed and carriage return are
ordinary white space.
"""
import re
import unicodedata

WHITESPACE_CONTROLS = "\t\n\r"
# Characters that print nothing although Unicode files them as letters or
# symbols (Hangul fillers, braille blank) or marks (combining grapheme joiner).
INVISIBLE_GRAPHICS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f"}
# Zero-width joiners shape Indic conjuncts and emoji sequences: kept inside
# names, while the other format characters (zero-width space, bidi
# overrides, soft hyphen, byte order mark, ...) are removed.
JOINERS = {"\u200c", "\u200d"}
# What XML 1.0 cannot carry at all (Char production of the XML spec).
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def first_control_character(text):
    """``(position, character)`` of the first character of ``text`` that is
    a control character (other than tab and line breaks), a lone surrogate
    or a non-character, else None."""
    for position, char in enumerate(text):
        if char in WHITESPACE_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or char in ("\ufffe", "\uffff"):
            return position, char
    return None


def is_visible(char):
    """Whether ``char`` prints something: a letter, digit, punctuation mark
    or symbol that is not one of the invisible fillers."""
    return unicodedata.category(char)[0] in "LNPS" and char not in INVISIBLE_GRAPHICS


def is_removable_format(char):
    return unicodedata.category(char) == "Cf" and char not in JOINERS


def code_point(char):
    """``U+000B``: how messages name a character without printing it."""
    return "U+%04X" % ord(char)
