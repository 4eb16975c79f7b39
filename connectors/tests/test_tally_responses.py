# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Tally parser against hand-written samples of Tally's documented
answer shapes (shared/reference/tally.md)."""
import unittest

from sme_connectors.base import ConnectorError, ProtocolError, TransientError
from sme_connectors.tally import envelopes, responses

FLAT_RESPONSE = b"""<RESPONSE>
  <CREATED>1</CREATED><ALTERED>0</ALTERED><DELETED>0</DELETED>
  <LASTVCHID>45</LASTVCHID><LASTMID>0</LASTMID><COMBINED>0</COMBINED>
  <IGNORED>0</IGNORED><ERRORS>0</ERRORS><CANCELLED>0</CANCELLED>
</RESPONSE>"""

ENVELOPE_RESPONSE = b"""<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER>
  <BODY><DATA><IMPORTRESULT><CREATED>0</CREATED><ALTERED>0</ALTERED><ERRORS>1</ERRORS>
  </IMPORTRESULT><LINEERROR>Ledger 'Asha Stores' does not exist!</LINEERROR></DATA>\
</BODY></ENVELOPE>"""

EXCEPTIONS_ONLY = (
    b"<RESPONSE><CREATED>0</CREATED><ERRORS>0</ERRORS><EXCEPTIONS>17</EXCEPTIONS>"
    b"</RESPONSE>"
)

BAD_REQUEST = b"""<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>0</STATUS></HEADER>
  <BODY><DATA>DESC not found</DATA></BODY></ENVELOPE>"""

LEDGERS_WITH_ILLEGAL_CHARS = (
    "<ENVELOPE><BODY><DATA><COLLECTION>"
    '<LEDGER NAME="Asha Stores"><GUID>g-1</GUID><ALTERID>7</ALTERID>'
    "<PARENT>&#4; Sundry Debtors</PARENT><LEDGERMOBILE>9876543210</LEDGERMOBILE>"
    '<ADDRESS.LIST TYPE="String"><ADDRESS>12 MG Road</ADDRESS><ADDRESS>Pune</ADDRESS>'
    "</ADDRESS.LIST>"
    "<PARTYGSTIN>27AAPFU0939F1ZV</PARTYGSTIN>"
    "<OPENINGBALANCE>-1,180.00</OPENINGBALANCE></LEDGER>"
    '<LEDGER NAME="Bad \x01Char"><GUID>g-2</GUID><ALTERID>8</ALTERID>'
    "<LEDMAILINGDETAILS.LIST><ADDRESS.LIST><ADDRESS>Plot 9</ADDRESS></ADDRESS.LIST>"
    "<STATE>Karnataka</STATE><PINCODE>560001</PINCODE></LEDMAILINGDETAILS.LIST>"
    "<LEDGSTREGDETAILS.LIST><GSTIN>29AAGCB7383J1Z4</GSTIN></LEDGSTREGDETAILS.LIST></LEDGER>"
    "</COLLECTION></DATA></BODY></ENVELOPE>"
)

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
        self.assertEqual(
            (result["created"], result["errors"], result["last_vch_id"]), (1, 0, 45)
        )

    def test_envelope_shape_with_line_error(self):
        result = responses.import_result(ENVELOPE_RESPONSE)
        self.assertEqual(result["errors"], 1)
        self.assertEqual(
            result["line_errors"], ["Ledger 'Asha Stores' does not exist!"]
        )

    def test_exceptions_only_reject(self):
        result = responses.import_result(EXCEPTIONS_ONLY)
        self.assertEqual(
            (result["created"], result["exceptions"], result["line_errors"]),
            (0, 17, []),
        )

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
        first, second = [
            responses.ledger_to_customer(e)
            for e in responses.iter_elements(body, "LEDGER")
        ]
        self.assertEqual(
            (
                first.name,
                first.group,
                first.mobile,
                first.street,
                first.city,
                first.gstin,
                first.opening_balance,
                first.version,
            ),
            (
                "Asha Stores",
                "Sundry Debtors",
                "9876543210",
                "12 MG Road",
                "Pune",
                "27AAPFU0939F1ZV",
                -1180.0,
                7,
            ),
        )
        self.assertEqual(
            (second.name, second.street, second.state, second.zip, second.gstin),
            ("Bad Char", "Plot 9", "Karnataka", "560001", "29AAGCB7383J1Z4"),
        )

    def test_trial_balance_pairs(self):
        rows = responses.trial_balance(TRIAL_BALANCE)
        self.assertEqual(
            [(r.account, r.debit, r.credit) for r in rows],
            [("Cash", 5000.0, 0.0), ("Capital", 0.0, 5000.0)],
        )

    def test_clean_drops_only_what_xml_forbids(self):
        self.assertEqual(
            responses.clean("&#4; Primary &#38; more\x02"), " Primary &#38; more"
        )


class TestEnvelopes(unittest.TestCase):
    def test_values_are_escaped(self):
        from sme_connectors.base import Customer

        xml = envelopes.ledger_import(
            "Sharma & Sons", Customer(name='A <"B"> & C', phone="1"), "Sundry Debtors"
        )
        self.assertIn(b"<SVCURRENTCOMPANY>Sharma &amp; Sons</SVCURRENTCOMPANY>", xml)
        self.assertIn(b'NAME="A &lt;&quot;B&quot;&gt; &amp; C"', xml)

    def test_voucher_sign_convention(self):
        from sme_connectors.base import Voucher, VoucherLine

        xml = envelopes.voucher_import(
            "Co",
            Voucher(
                kind="sales",
                remote_id="r1",
                number="N1",
                date="2026-01-20",
                party="P",
                narration=None,
                lines=[
                    VoucherLine("P", 118.0, True),
                    VoucherLine("Sales", 118.0, False),
                ],
            ),
        )
        self.assertIn(
            b"<LEDGERNAME>P</LEDGERNAME><ISDEEMEDPOSITIVE>Yes</ISDEEMEDPOSITIVE>"
            b"<AMOUNT>-118.00</AMOUNT>",
            xml,
        )
        self.assertIn(
            b"<LEDGERNAME>Sales</LEDGERNAME><ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE>"
            b"<AMOUNT>118.00</AMOUNT>",
            xml,
        )
        self.assertIn(b"<DATE>20260120</DATE>", xml)


# (In these byte strings a backslash at the end of a line joins it to the
# next: the answer is the same bytes, on shorter source lines.)
# A collection answer as TallyPrime writes it: the counters first, named
# like the records; UDF tags whose prefix the answer never declares; an
# ampersand Tally did not escape; a foreign-currency amount.
COLLECTION_WITH_COUNTERS = b"""<ENVELOPE><HEADER><VERSION>1</VERSION>\
<STATUS>1</STATUS></HEADER><BODY>
  <DESC><CMPINFO><GROUP>0</GROUP><LEDGER>95</LEDGER><VOUCHER>39</VOUCHER></CMPINFO></DESC>
  <DATA><COLLECTION>
    <VOUCHER REMOTEID="g-1" VCHTYPE="Sales"><GUID>g-1</GUID><ALTERID> 12</ALTERID>\
<DATE>20250501</DATE>
      <VOUCHERTYPENAME>Sales</VOUCHERTYPENAME><VOUCHERNUMBER>1</VOUCHERNUMBER>
      <PARTYLEDGERNAME>Dubai Traders</PARTYLEDGERNAME><NARRATION>Tea & biscuits</NARRATION>
      <UDF:SMEREF.LIST DESC="`SmeRef`" ISLIST="YES" TYPE="String">\
<UDF:SMEREF>R-1</UDF:SMEREF></UDF:SMEREF.LIST>
      <ALLLEDGERENTRIES.LIST><LEDGERNAME>Dubai Traders</LEDGERNAME>\
<ISDEEMEDPOSITIVE>Yes</ISDEEMEDPOSITIVE>
        <AMOUNT>-$ 100.00 @ &#8377; 83.00/$ = -&#8377; 8300.00</AMOUNT></ALLLEDGERENTRIES.LIST>
      <ALLLEDGERENTRIES.LIST><LEDGERNAME>Export Sales</LEDGERNAME>\
<ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE>
        <AMOUNT>8300.00</AMOUNT></ALLLEDGERENTRIES.LIST>
    </VOUCHER>
    <VOUCHER REMOTEID="g-2" VCHTYPE="Sales"><GUID>g-2</GUID>\
<VOUCHERTYPENAME>Sales</VOUCHERTYPENAME>
      <ISCANCELLED>Yes</ISCANCELLED><VOUCHERNUMBER>2</VOUCHERNUMBER></VOUCHER>
  </COLLECTION></DATA></BODY></ENVELOPE>"""

LEDGER_WITH_HISTORY = b"""<ENVELOPE><BODY><DATA><COLLECTION>
  <LEDGER NAME="Asha Stores"><PARENT>Sundry Debtors</PARENT>
    <ADDRESS.LIST><ADDRESS>Old flat address</ADDRESS></ADDRESS.LIST>\
<LEDSTATENAME>Delhi</LEDSTATENAME>
    <LEDMAILINGDETAILS.LIST><APPLICABLEFROM>20240401</APPLICABLEFROM><ADDRESS.LIST>\
<ADDRESS>12 MG Road</ADDRESS>
      </ADDRESS.LIST><STATE>Karnataka</STATE><PINCODE>560001</PINCODE>\
<COUNTRY>India</COUNTRY></LEDMAILINGDETAILS.LIST>
    <LEDMAILINGDETAILS.LIST><APPLICABLEFROM>20200401</APPLICABLEFROM><ADDRESS.LIST>\
<ADDRESS>Old Road</ADDRESS>
      </ADDRESS.LIST><STATE>Delhi</STATE><COUNTRY>India</COUNTRY></LEDMAILINGDETAILS.LIST>
    <LEDGSTREGDETAILS.LIST><APPLICABLEFROM>20200401</APPLICABLEFROM>
      <GSTIN>07AAGCB7383J1Z4</GSTIN></LEDGSTREGDETAILS.LIST>
    <LEDGSTREGDETAILS.LIST><APPLICABLEFROM>20240401</APPLICABLEFROM>
      <GSTIN>29AAGCB7383J1Z4</GSTIN></LEDGSTREGDETAILS.LIST>
    <CONTACTDETAILS.LIST><NAME>Office</NAME><PHONENUMBER>080 2222 3333</PHONENUMBER>\
</CONTACTDETAILS.LIST>
    <CONTACTDETAILS.LIST><NAME>Primary Mobile No.</NAME><PHONENUMBER>9876543210</PHONENUMBER>
      <COUNTRYISDCODE>+91</COUNTRYISDCODE>\
<ISDEFAULTWHATSAPPNUM>Yes</ISDEFAULTWHATSAPPNUM></CONTACTDETAILS.LIST>
  </LEDGER></COLLECTION></DATA></BODY></ENVELOPE>"""


class TestRealShapes(unittest.TestCase):
    def test_counters_undeclared_prefixes_and_unescaped_ampersands(self):
        read = [
            responses.voucher_from_element(e)
            for e in responses.iter_elements(COLLECTION_WITH_COUNTERS, "VOUCHER")
        ]
        self.assertEqual(
            [v.number for v in read], ["1", "2"], "<VOUCHER>39</VOUCHER> is a counter"
        )
        self.assertEqual(
            list(responses.iter_elements(COLLECTION_WITH_COUNTERS, "LEDGER")), []
        )
        first = read[0]
        self.assertEqual(
            (first.narration, first.version, first.date),
            ("Tea & biscuits", 12, "2025-05-01"),
        )
        self.assertEqual(
            [(line.account, line.amount, line.debit) for line in first.lines],
            [("Dubai Traders", 8300.0, True), ("Export Sales", 8300.0, False)],
            "a foreign-currency amount counts in the company's currency",
        )

    def test_cancelled_vouchers_do_not_count(self):
        flags = [
            responses.voucher_counts(e)
            for e in responses.iter_elements(COLLECTION_WITH_COUNTERS, "VOUCHER")
        ]
        self.assertEqual(flags, [True, False])

    def test_latest_dated_entries_win_over_order_and_flat_fields(self):
        (asha,) = [
            responses.ledger_to_customer(e)
            for e in responses.iter_elements(LEDGER_WITH_HISTORY, "LEDGER")
        ]
        self.assertEqual(
            (asha.street, asha.state, asha.zip, asha.country, asha.gstin, asha.mobile),
            (
                "12 MG Road",
                "Karnataka",
                "560001",
                "India",
                "29AAGCB7383J1Z4",
                "+91 9876543210",
            ),
        )

    def test_answers_that_are_not_whole_are_transient(self):
        for cut in (
            len(COLLECTION_WITH_COUNTERS) // 3,
            len(COLLECTION_WITH_COUNTERS) - 2,
        ):
            with self.assertRaises(TransientError):
                list(responses.iter_elements(COLLECTION_WITH_COUNTERS[:cut], "VOUCHER"))
        utf16 = FLAT_RESPONSE.decode("utf-8").encode("utf-16")
        with self.assertRaises(TransientError):
            responses.import_result(utf16[:-1])  # cut in the middle of a character
        with self.assertRaises(TransientError):
            responses.import_result(utf16[:-2])

    def test_refused_export_is_an_error(self):
        refused = (
            b"<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>0</STATUS></HEADER>"
            b"<BODY><DATA>DESC not found</DATA></BODY></ENVELOPE>"
        )
        with self.assertRaises(ConnectorError):
            list(responses.iter_elements(refused, "LEDGER"))

    def test_voucher_without_lines_is_a_problem_and_no_document(self):
        body = b"""<ENVELOPE><BODY><DATA><COLLECTION><VOUCHER VCHTYPE="Sales"><GUID>g-9</GUID>
          <VOUCHERNUMBER>9</VOUCHERNUMBER><VOUCHERTYPENAME>Sales</VOUCHERTYPENAME>
          <ALLINVENTORYENTRIES.LIST><STOCKITEMNAME>Bulb</STOCKITEMNAME><AMOUNT>100.00</AMOUNT>
          <BILLEDQTY> 1 nos</BILLEDQTY></ALLINVENTORYENTRIES.LIST></VOUCHER>\
</COLLECTION></DATA></BODY></ENVELOPE>"""
        (voucher,) = [
            responses.voucher_from_element(e)
            for e in responses.iter_elements(body, "VOUCHER")
        ]
        self.assertEqual(
            (voucher.kind, voucher.external_id, voucher.lines, voucher.items),
            ("sales", "g-9", [], None),
        )
        self.assertIn(
            "no debit or credit line could be read", responses.voucher_problem(voucher)
        )
        self.assertFalse(responses.voucher_is_balanced(voucher))


class TestGstTreatment(unittest.TestCase):
    """Every GST registration type Tally has, in the hub's (Zoho's) words."""

    def test_registration_types(self):
        gstin = "27AAPFU0939F1ZV"
        cases = [
            (("Regular", gstin), "business_gst"),
            (("Regular", None), "business_none"),
            (("Composition", gstin), "business_composition"),
            (("Composition", None), "business_none"),
            (("Consumer", None), "consumer"),
            (("Unregistered", None), "business_none"),
            (("Unregistered/Consumer", None), "consumer"),
            (("Unknown", None), "business_none"),
            (("Unknown", gstin), "business_gst"),
            ((None, gstin), "business_gst"),
            ((None, None), None),
            (("Unregistered/Consumer", None, "United Arab Emirates"), "overseas"),
            (("Regular", gstin, "India", True), "special_economic_zone"),
        ]
        self.assertEqual(
            [(args, responses.gst_treatment(*args)) for args, _wanted in cases], cases
        )

    def test_flat_ledger_with_type_state_and_sez_flag(self):
        body = (
            b'<ENVELOPE><BODY><DATA><COLLECTION><LEDGER NAME="Kaveri Exports"><GUID>g-9</GUID>'
            b"<PARENT>Sundry Debtors</PARENT><PARTYGSTIN>29AAGCB7383J1Z4</PARTYGSTIN>"
            b"<GSTREGISTRATIONTYPE>Regular</GSTREGISTRATIONTYPE><ISSEZPARTY>Yes</ISSEZPARTY>"
            b"<LEDSTATENAME>Karnataka</LEDSTATENAME><COUNTRYNAME>India</COUNTRYNAME></LEDGER>"
            b'<LEDGER NAME="Ravi"><GUID>g-10</GUID><PARENT>Sundry Debtors</PARENT>'
            b"<GSTREGISTRATIONTYPE>Composition</GSTREGISTRATIONTYPE>"
            b"<PARTYGSTIN>36AABCR1234K1ZI</PARTYGSTIN>"
            b"<LEDSTATENAME>Telangana</LEDSTATENAME></LEDGER>"
            b"</COLLECTION></DATA></BODY></ENVELOPE>"
        )
        found = [
            responses.ledger_to_customer(e)
            for e in responses.iter_elements(body, "LEDGER")
        ]
        self.assertEqual(
            [(c.name, c.gst_treatment, c.place_of_supply) for c in found],
            [
                ("Kaveri Exports", "special_economic_zone", "KA"),
                ("Ravi", "business_composition", "TG"),
            ],
        )
