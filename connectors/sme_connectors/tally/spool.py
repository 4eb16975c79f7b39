# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Large Tally answers on disk instead of in memory.

Tally answers a collection in one response: 100,000 ledgers are some
hundred megabytes of XML (twice that in UTF-16), held several times over
while it was decoded, cleaned and checked in memory. Here the answer goes
to a temporary file as it arrives, and is decoded, cleaned and checked
whole chunk by chunk into a second one that the records are then streamed
from: the memory a pull needs no longer grows with the size of the answer.
Same rules as ``responses.xml_bytes``: an answer cut on the way or garbled
is a TransientError (retried, never read as a smaller answer), an empty
one a ProtocolError.
"""
import codecs
import re
import tempfile
import xml.parsers.expat

import requests

from ..base import ProtocolError, TransientError
from . import responses

CHUNK = 1 << 20  # bytes read from the socket, characters cleaned, at a time
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def spool(response, chunk=CHUNK):
    """The body of a streamed ``requests`` response in a temporary file
    (positioned at its start)."""
    spooled = tempfile.TemporaryFile()
    try:
        for part in response.iter_content(chunk):
            spooled.write(part)
    except requests.RequestException as error:
        spooled.close()
        raise TransientError(
            "Tally's answer broke off on the way (%s)" % str(error)[-120:]
        ) from None
    spooled.seek(0)
    return spooled


def _encoding(head):
    """Tally answers in UTF-16 (with or without BOM) or UTF-8."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) > 1 and head[1:2] == b"\x00" and head[0:1] != b"\x00":
        return "utf-16-le"
    return "utf-8-sig"


def _clean_chunks(raw, chunk):
    """The answer's text, cleaned (``responses.clean``), in pieces that end
    after a '>' so that no reference or ampersand is cut in two."""
    encoding = _encoding(raw.read(4))
    raw.seek(0)
    # UTF-8 answers are read leniently, as responses.decode reads them.
    errors = "strict" if encoding.startswith("utf-16") else "replace"
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    carry, first = "", True
    while True:
        data = raw.read(chunk)
        try:
            text = carry + decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            raise TransientError(
                responses.BROKEN_ANSWER
                % ("it ends in the middle of a character: %s" % error)
            ) from None
        if first and text.strip():
            text, first = _DECLARATION.sub("", text.lstrip()), False
        cut = text.rfind(">") + 1 if data else len(text)
        if cut:
            yield responses.clean(text[:cut])
        carry = text[cut:]
        if not data:
            return


def _write_checked(pieces, target):
    """Write the UTF-8 of ``pieces`` to ``target`` while expat checks it is
    one whole XML document; returns (whole, prefixes used in tags, wrote
    anything). ``whole`` is False only for undeclared namespace prefixes."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    prefixes, wrote, whole = set(), False, True
    for piece in pieces:
        data = piece.encode("utf-8")
        if not data.strip():
            continue
        wrote = True
        prefixes.update(responses.prefixes_in(piece))
        target.write(data)
        whole = whole and _feed(parser, data, False)
    if not wrote:
        return True, prefixes, False  # empty: the caller says so in its own words
    return whole and _feed(parser, b"", True), prefixes, wrote


def _feed(parser, data, final):
    try:
        parser.Parse(data, final)
    except xml.parsers.expat.ExpatError as error:
        if (
            error.code
            == xml.parsers.expat.errors.codes[
                xml.parsers.expat.errors.XML_ERROR_UNBOUND_PREFIX
            ]
        ):
            return False
        raise TransientError(responses.BROKEN_ANSWER % error) from None
    return True


def clean_file(raw, chunk=CHUNK):
    """The answer in ``raw`` (a file) as clean, whole UTF-8 XML in a new
    temporary file positioned at its start."""
    cleaned = tempfile.TemporaryFile()
    whole, prefixes, wrote = _write_checked(_clean_chunks(raw, chunk), cleaned)
    if not wrote:
        raise ProtocolError("Tally answered with an empty body")
    if whole:
        cleaned.seek(0)
        return cleaned
    # Tally's UDF:... tags without their namespace declared: declare them on
    # the root (its start tag is in the first piece) and check again.
    cleaned.seek(0)
    # The root's start tag is in the first bytes (<ENVELOPE>, <RESPONSE>...).
    head = cleaned.read(max(chunk, 1 << 16)).decode("utf-8", "ignore")
    head = head[
        : head.rfind(">") + 1
    ]  # whole characters: the cut is after an ASCII '>'
    pieces = _declared_pieces(cleaned, head, prefixes, chunk)
    declared = tempfile.TemporaryFile()
    whole, _prefixes, _wrote = _write_checked(pieces, declared)
    cleaned.close()
    if not whole:
        raise TransientError(responses.BROKEN_ANSWER % "undeclared namespace prefixes")
    declared.seek(0)
    return declared


def _declared_pieces(cleaned, head, prefixes, chunk):
    declared_head = responses.declare_prefixes(head, prefixes)
    yield declared_head
    cleaned.seek(len(head.encode("utf-8")))
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    while True:
        data = cleaned.read(chunk)
        yield decoder.decode(data, final=not data)
        if not data:
            return
