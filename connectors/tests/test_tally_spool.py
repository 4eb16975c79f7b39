# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Large Tally answers kept on disk (spool.py) read exactly as the same
answers read in memory: the real samples (UTF-16, undeclared UDF prefixes,
references XML forbids) cut into tiny pieces, a cut answer still refused."""
import os
import tempfile
import unittest

from test_tally_real_samples import MISSING, SAMPLES, sample

from sme_connectors.base import ConnectorError, ProtocolError, TransientError
from sme_connectors.tally import responses, spool

EXPORTS = {
    "acczite_groups_collection.xml": "GROUP",
    "acczite_payment_daybook_utf16.xml": "VOUCHER",
    "guide_sales_voucher_collection_excerpt.xml": "VOUCHER",
    "jogsaurabh_sales_invoices_utf16.xml": "VOUCHER",
    "kesans_credit_note_excerpt_utf16.xml": "VOUCHER",
    "kesans_masters_flat_utf16.xml": "LEDGER",
    "khushaal_payment_journal_utf16.xml": "VOUCHER",
    "uttam_prime_daybook_with_masters.xml": "VOUCHER",
}


def on_disk(body, chunk):
    raw = tempfile.TemporaryFile()
    raw.write(body)
    raw.seek(0)
    return spool.clean_file(raw, chunk=chunk)


def shapes(elements):
    return [
        (
            element.tag,
            sorted(element.attrib.items()),
            [(child.tag, (child.text or "").strip()) for child in element.iter()],
        )
        for element in elements
    ]


@unittest.skipUnless(os.path.isdir(SAMPLES), MISSING)
class TestRealAnswersOnDisk(unittest.TestCase):
    def test_the_same_records_as_in_memory_whatever_the_cut(self):
        for name, tag in sorted(EXPORTS.items()):
            body = sample(name)
            in_memory = shapes(responses.iter_elements(body, tag))
            self.assertTrue(in_memory, name)
            for chunk in (7, 64, 4096, spool.CHUNK):
                with self.subTest(name=name, chunk=chunk):
                    self.assertEqual(
                        shapes(responses.iter_elements(on_disk(body, chunk), tag)),
                        in_memory,
                    )

    def test_read_twice_counts_then_records(self):
        answer = on_disk(sample("kesans_masters_flat_utf16.xml"), 50)
        count = sum(1 for _element in responses.iter_elements(answer, "LEDGER"))
        names = [
            element.get("NAME") for element in responses.iter_elements(answer, "LEDGER")
        ]
        self.assertEqual(len(names), count)
        self.assertGreater(count, 0)

    def test_a_refusal_is_still_a_refusal(self):
        answer = on_disk(sample("acczite_missing_report_lineerror_utf16.xml"), 33)
        with self.assertRaises(ConnectorError):
            list(responses.iter_elements(answer, "VOUCHER"))


class TestBrokenAnswersOnDisk(unittest.TestCase):

    BODY = (
        "<ENVELOPE><BODY><DATA><COLLECTION>%s</COLLECTION></DATA></BODY></ENVELOPE>"
        % "".join(
            '<LEDGER NAME="Customer &#4; %d &amp; Sons"><PARENT>Sundry Debtors</PARENT>'
            "<UDF:NOTE>x</UDF:NOTE></LEDGER>" % n
            for n in range(300)
        )
    )

    def test_undeclared_prefixes_and_forbidden_references_across_pieces(self):
        for encoding in ("utf-8", "utf-16"):
            body = self.BODY.encode(encoding)
            in_memory = [
                element.get("NAME")
                for element in responses.iter_elements(body, "LEDGER")
            ]
            on_file = [
                element.get("NAME")
                for element in responses.iter_elements(on_disk(body, 5), "LEDGER")
            ]
            self.assertEqual(on_file, in_memory)
            self.assertEqual(len(on_file), 300)
            self.assertEqual(on_file[1], "Customer  1 & Sons")

    def test_a_cut_answer_is_a_retry_never_fewer_records(self):
        for encoding in ("utf-8", "utf-16"):
            body = self.BODY.encode(encoding)
            for cut in (len(body) // 2, len(body) - 7, len(body) - 1):
                with self.subTest(encoding=encoding, cut=cut), self.assertRaises(
                    TransientError
                ):
                    on_disk(body[:cut], 64)

    def test_an_empty_answer_is_a_protocol_error(self):
        with self.assertRaises(ProtocolError):
            on_disk(b"  \r\n", 64)


class TestSpoolingAResponse(unittest.TestCase):
    def test_a_body_that_breaks_off_is_a_retry(self):
        import requests

        class Breaking(object):
            def iter_content(self, chunk):
                yield b"<ENVELOPE>"
                raise requests.exceptions.ChunkedEncodingError(
                    "Connection broken: IncompleteRead"
                )

        with self.assertRaises(TransientError):
            spool.spool(Breaking())

    def test_the_body_lands_on_disk(self):
        class Whole(object):
            def iter_content(self, chunk):
                return iter([b"<A>", b"</A>"])

        self.assertEqual(spool.spool(Whole()).read(), b"<A></A>")
