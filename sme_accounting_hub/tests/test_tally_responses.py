"""The Tally parser against hand-written samples of Tally's documented
answer shapes (shared/reference/tally.md)."""
import unittest

from odoo.addons.sme_accounting_hub.connectors.base import ProtocolError
from odoo.addons.sme_accounting_hub.connectors.tally import envelopes, responses

FLAT_RESPONSE = b"""<RESPONSE>
  <CREATED>1</CREATED><ALTERED>0</ALTERED><DELETED>0</DELETED>
  <LASTVCHID>45</LASTVCHID><LASTMID>0</LASTMID><COMBINED>0</COMBINED>
  <IGNORED>0</IGNORED><ERRORS>0</ERRORS><CANCELLED>0</CANCELLED>
</RESPONSE>"""

ENVELOPE_RESPONSE = b"""<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER>
  <BODY><DATA><IMPORTRESULT><CREATED>0</CREATED><ALTERED>0</ALTERED><ERRORS>1</ERRORS>
  </IMPORTRESULT><LINEERROR>Ledger 'Asha Stores' does not exist!</LINEERROR></DATA></BODY></ENVELOPE>"""

EXCEPTIONS_ONLY = b"<RESPONSE><CREATED>0</CREATED><ERRORS>0</ERRORS><EXCEPTIONS>17</EXCEPTIONS></RESPONSE>"

BAD_REQUEST = b"""<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>0</STATUS></HEADER>
  <BODY><DATA>DESC not found</DATA></BODY></ENVELOPE>"""

LEDGERS_WITH_ILLEGAL_CHARS = (
    u"<ENVELOPE><BODY><DATA><COLLECTION>"
    u"<LEDGER NAME=\"Asha Stores\"><GUID>g-1</GUID><ALTERID>7</ALTERID>"
    u"<PARENT>&#4; Sundry Debtors</PARENT><LEDGERMOBILE>9876543210</LEDGERMOBILE>"
    u"<ADDRESS.LIST TYPE=\"String\"><ADDRESS>12 MG Road</ADDRESS><ADDRESS>Pune</ADDRESS></ADDRESS.LIST>"
    u"<PARTYGSTIN>27AAPFU0939F1ZV</PARTYGSTIN><OPENINGBALANCE>-1,180.00</OPENINGBALANCE></LEDGER>"
    u"<LEDGER NAME=\"Bad \x01Char\"><GUID>g-2</GUID><ALTERID>8</ALTERID>"
    u"<LEDMAILINGDETAILS.LIST><ADDRESS.LIST><ADDRESS>Plot 9</ADDRESS></ADDRESS.LIST>"
    u"<STATE>Karnataka</STATE><PINCODE>560001</PINCODE></LEDMAILINGDETAILS.LIST>"
    u"<LEDGSTREGDETAILS.LIST><GSTIN>29AAGCB7383J1Z4</GSTIN></LEDGSTREGDETAILS.LIST></LEDGER>"
    u"</COLLECTION></DATA></BODY></ENVELOPE>")

TRIAL_BALANCE = b"""<ENVELOPE>
  <DSPACCNAME><DSPDISPNAME>Cash</DSPDISPNAME></DSPACCNAME>
  <DSPACCINFO><DSPCLDRAMT><DSPCLDRAMTA>-5000.00</DSPCLDRAMTA></DSPCLDRAMT>
  <DSPCLCRAMT><DSPCLCRAMTA></DSPCLCRAMTA></DSPCLCRAMT></DSPACCINFO>
  <DSPACCNAME><DSPDISPNAME>Capital</DSPDISPNAME></DSPACCNAME>
  <DSPACCINFO><DSPCLDRAMT><DSPCLDRAMTA></DSPCLDRAMTA></DSPCLDRAMT>
  <DSPCLCRAMT><DSPCLCRAMTA>5000.00</DSPCLCRAMTA></DSPCLCRAMT></DSPACCINFO>
</ENVELOPE>"""


class TestImportResponses(unittest.TestCase):

    def test_flat_shape(self):
        result = responses.import_result(FLAT_RESPONSE)
        self.assertEqual((result["created"], result["errors"], result["last_vch_id"]), (1, 0, 45))

    def test_envelope_shape_with_line_error(self):
        result = responses.import_result(ENVELOPE_RESPONSE)
        self.assertEqual(result["errors"], 1)
        self.assertEqual(result["line_errors"], ["Ledger 'Asha Stores' does not exist!"])

    def test_exceptions_only_reject(self):
        result = responses.import_result(EXCEPTIONS_ONLY)
        self.assertEqual((result["created"], result["exceptions"], result["line_errors"]), (0, 17, []))

    def test_bad_request_is_a_protocol_error(self):
        with self.assertRaises(ProtocolError):
            responses.import_result(BAD_REQUEST)
        with self.assertRaises(ProtocolError):
            responses.import_result(b"")

    def test_utf16_answers_are_read(self):
        result = responses.import_result(FLAT_RESPONSE.decode("utf-8").encode("utf-16"))
        self.assertEqual(result["created"], 1)


class TestExports(unittest.TestCase):

    def test_ledgers_flat_and_prime3_with_illegal_characters(self):
        body = LEDGERS_WITH_ILLEGAL_CHARS.encode("utf-8")
        first, second = [responses.ledger_to_customer(e) for e in responses.iter_elements(body, "LEDGER")]
        self.assertEqual((first.name, first.group, first.mobile, first.street, first.city, first.gstin,
                          first.opening_balance, first.version),
                         ("Asha Stores", "Sundry Debtors", "9876543210", "12 MG Road", "Pune",
                          "27AAPFU0939F1ZV", -1180.0, 7))
        self.assertEqual((second.name, second.street, second.state, second.zip, second.gstin),
                         ("Bad Char", "Plot 9", "Karnataka", "560001", "29AAGCB7383J1Z4"))

    def test_trial_balance_pairs(self):
        rows = responses.trial_balance(TRIAL_BALANCE)
        self.assertEqual([(r.account, r.debit, r.credit) for r in rows],
                         [("Cash", 5000.0, 0.0), ("Capital", 0.0, 5000.0)])

    def test_clean_drops_only_what_xml_forbids(self):
        self.assertEqual(responses.clean(u"&#4; Primary &#38; more\x02"), u" Primary &#38; more")


class TestEnvelopes(unittest.TestCase):

    def test_values_are_escaped(self):
        from odoo.addons.sme_accounting_hub.connectors.base import Customer
        xml = envelopes.ledger_import("Sharma & Sons", Customer(name='A <"B"> & C', phone="1"), "Sundry Debtors")
        self.assertIn(b"<SVCURRENTCOMPANY>Sharma &amp; Sons</SVCURRENTCOMPANY>", xml)
        self.assertIn(b'NAME="A &lt;&quot;B&quot;&gt; &amp; C"', xml)

    def test_voucher_sign_convention(self):
        from odoo.addons.sme_accounting_hub.connectors.base import Voucher, VoucherLine
        xml = envelopes.voucher_import("Co", Voucher(
            kind="sales", remote_id="r1", number="N1", date="2026-01-20", party="P", narration=None,
            lines=[VoucherLine("P", 118.0, True), VoucherLine("Sales", 118.0, False)]))
        self.assertIn(b"<LEDGERNAME>P</LEDGERNAME><ISDEEMEDPOSITIVE>Yes</ISDEEMEDPOSITIVE><AMOUNT>-118.00</AMOUNT>", xml)
        self.assertIn(b"<LEDGERNAME>Sales</LEDGERNAME><ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE><AMOUNT>118.00</AMOUNT>", xml)
        self.assertIn(b"<DATE>20260120</DATE>", xml)
