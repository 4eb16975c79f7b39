# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Marg's Corporate EDE pages as live integrations read them
(../shared/real-samples/zoho-quickbooks-marg/marg_ede_decoded_nested.json:
sections nested under ``Details``, sales lines in ``Dis``, ``DataStatus`` 10
or "Completed"): what the connector makes of such a page, sealed as Marg
seals it, what it says of shapes it does not know, and whether the sandbox
serves the same shape over a socket. Expected values read off the file."""
import copy
import json
import os
import unittest

import requests

from sme_connectors.base import ProtocolError
from sme_connectors.marg import MargClient, decode_payload
from sme_connectors.sandbox.marg_codec import seal
from sme_connectors.sandbox.testing import running_marg

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "..", "shared", "real-samples", "zoho-quickbooks-marg")
SAMPLE = os.path.join(SAMPLES, "marg_ede_decoded_nested.json")
MISSING = (
    "the real samples are not here (%s): they are kept outside the project" % SAMPLES
)
KEY, MARG_KEY = "SharmaDecrypt01", "demo-marg-key-0001"


def page():
    with open(SAMPLE) as handle:
        return json.load(handle)["document"]


class Answer(object):
    def __init__(self, text):
        self.status_code, self.text, self.headers, self.reason = 200, text, {}, "OK"

    def json(self):
        return json.loads(self.text)


class Replay(object):
    """Stands in for a ``requests.Session``: answers Marg's data API with
    the given pages, one per request, and keeps what was asked."""

    def __init__(self, *texts):
        self.texts, self.sent = list(texts), []

    def request(self, method, url, timeout=None, json=None, params=None, **kwargs):
        self.sent.append(json)
        return Answer(self.texts.pop(0))


def enveloped(document, **cursor):
    """An APIType 2 answer: the envelope, its Data the sealed page."""
    return json.dumps(
        dict({"Status": "SUCCESS", "Message": ""}, Data=seal(document, KEY), **cursor)
    )


def bare(document):
    """An APIType 1 answer: the sealed page alone."""
    return seal(document, KEY)


@unittest.skipUnless(os.path.isfile(SAMPLE), MISSING)
class TestTheNestedPage(unittest.TestCase):
    def client(self, *texts, **values):
        self.session = Replay(*texts)
        return MargClient(
            "https://wservices.margcompusoft.com/",
            "SHARMA01",
            MARG_KEY,
            KEY,
            company_id="1",
            session=self.session,
            **values,
        )

    def test_parties_are_found_under_details(self):
        for answer in (enveloped(page()), bare(page())):
            [party] = list(self.client(answer).iter_customers())
            self.assertEqual(
                (
                    party.external_id,
                    party.name,
                    party.phone,
                    party.gstin,
                    party.street,
                    party.zip,
                    party.group,
                    party.position,
                ),
                (
                    "P002",
                    "Mehta Medicals",
                    "9822012345",
                    "27AAPFM1234C1Z5",
                    "4 Station Rd, Pune",
                    "411001",
                    "Camp",
                    "2026-01-15 18:30:00",
                ),
            )
            self.assertEqual(
                len(self.session.sent), 1, "DataStatus 10 inside Details: the last page"
            )

    def test_sales_lines_are_read_from_dis(self):
        [bill] = list(self.client(bare(page())).iter_vouchers())
        self.assertEqual(
            (
                bill.kind,
                bill.number,
                bill.date,
                bill.party,
                bill.party_id,
                bill.external_id,
                bill.position,
            ),
            (
                "sales",
                "SB-0001",
                "2026-01-15",
                "Mehta Medicals",
                "P002",
                "SB-0001|2026-01-15",
                "2026-01-15 18:30:00",
            ),
        )
        self.assertEqual(
            [
                (i.name, i.quantity, i.price, i.amount, i.tax_amount, i.code)
                for i in bill.items
            ],
            [("Paracetamol 500 mg (10 tabs)", 10.0, 25.0, 250.0, 30.0, "I001")],
        )

    def test_products_and_stock(self):
        self.assertEqual(
            [p["ProNam"] for p in self.client(bare(page())).iter_products()],
            ["Paracetamol 500 mg (10 tabs)"],
        )
        self.assertEqual(list(self.client(bare(page())).iter_stock()), [])

    def test_completed_ends_the_read_like_10(self):
        document = page()
        document["Details"]["DataStatus"] = "Completed"
        self.assertEqual(
            [c.name for c in self.client(enveloped(document)).iter_customers()],
            ["Mehta Medicals"],
        )
        self.assertEqual(len(self.session.sent), 1)

    def test_pages_follow_the_index_inside_details(self):
        first, second = page(), page()
        first["Details"].update(DataStatus=1, Index=1, Dis=[], MDis=[])
        second["Details"].update(
            DataStatus="Completed",
            Index=1,
            DateTime="2026-01-15 18:31:00",
            Party=[
                dict(second["Details"]["Party"][0], CID="P003", ParNam="Rao Chemists")
            ],
        )
        customers = list(self.client(bare(first), bare(second)).iter_customers())
        self.assertEqual(
            [(c.external_id, c.position) for c in customers],
            [("P002", "2026-01-15 18:30:00"), ("P003", "2026-01-15 18:31:00")],
        )
        self.assertEqual([sent["Index"] for sent in self.session.sent], ["0", "1"])

    def test_the_cursor_may_be_on_the_envelope(self):
        document = page()
        for name in ("Index", "DataStatus", "DateTime"):
            del document["Details"][name]
        answer = enveloped(
            document, DateTime="2026-01-15 18:30:00", DataStatus=10, Index=0
        )
        [party] = list(self.client(answer).iter_customers())
        self.assertEqual(party.position, "2026-01-15 18:30:00")


@unittest.skipUnless(os.path.isfile(SAMPLE), MISSING)
class TestShapesItDoesNotKnow(unittest.TestCase):
    """An unexpected page is a ProtocolError naming what is missing, never a
    Python error from inside the connector."""

    def refused(self, document, read="iter_customers"):
        client = MargClient(
            "https://wservices.margcompusoft.com/",
            "SHARMA01",
            MARG_KEY,
            KEY,
            session=Replay(bare(document)),
        )
        with self.assertRaises(ProtocolError) as error:
            list(getattr(client, read)())
        return str(error.exception)

    def test_no_details_section(self):
        document = {"Detail": page()["Details"]}
        self.assertEqual(
            self.refused(document),
            "Marg's page has no Details section (it holds: Detail)",
        )

    def test_details_that_is_neither_sections_nor_lines(self):
        self.assertIn("Details as a str", self.refused({"Details": "SB-0001"}))

    def test_a_section_that_is_not_a_list(self):
        document = page()
        document["Details"]["Party"] = document["Details"]["Party"][0]
        self.assertEqual(
            self.refused(document), "Marg's Details.Party is a dict, not a list of rows"
        )

    def test_a_party_without_its_cid(self):
        document = page()
        del document["Details"]["Party"][0]["CID"]
        self.assertEqual(self.refused(document), "Marg's Details.Party[0] has no CID")

    def test_a_sales_line_without_its_bill(self):
        document = page()
        del document["Details"]["Dis"][0]["Voucher"]
        self.assertEqual(
            self.refused(document, "iter_vouchers"),
            "Marg's Details.Dis[0] has no Voucher",
        )

    def test_a_row_that_is_not_an_object(self):
        document = page()
        document["Details"]["Dis"].append("SB-0002")
        self.assertEqual(
            self.refused(document, "iter_vouchers"),
            "Marg's Details.Dis[1] is a str, not a row",
        )

    def test_an_unknown_data_status(self):
        document = page()
        document["Details"]["DataStatus"] = "Pending"
        self.assertIn("DataStatus 'Pending' is neither", self.refused(document))

    def test_a_date_in_no_known_format(self):
        document = page()
        document["Details"]["Dis"][0]["Date"] = "15th Jan"
        message = self.refused(document, "iter_vouchers")
        self.assertIn("bill SB-0001", message)
        self.assertIn("'15th Jan'", message)

    def test_an_amount_that_is_not_a_number(self):
        document = page()
        document["Details"]["Dis"][0]["Amount"] = "two fifty"
        self.assertIn("not a number", self.refused(document, "iter_vouchers"))

    def test_a_page_that_is_not_an_object(self):
        self.assertIn("is a list, not a JSON object", self.refused([page()]))


@unittest.skipUnless(os.path.isfile(SAMPLE), MISSING)
class TestTheSandboxServesTheNestedShape(unittest.TestCase):
    def setUp(self):
        server = running_marg()
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)

    def ask(self, api_type, index=0):
        return requests.post(
            self.url + "api/eOnlineData/MargCorporateEDE",
            json={
                "CompanyCode": "SHARMA01",
                "Datetime": "",
                "MargKey": MARG_KEY,
                "Index": str(index),
                "CompanyID": "1",
                "APIType": api_type,
            },
        )

    def client(self, **values):
        return MargClient(
            self.url, "SHARMA01", MARG_KEY, KEY, company_id="1", timeout=5, **values
        )

    def test_both_api_types_decrypt_to_the_real_shape(self):
        real = page()
        for document in (
            decode_payload(self.ask("2").json()["Data"], KEY),
            decode_payload(self.ask("1").text, KEY),
        ):
            self.assertEqual(set(document), set(real))
            self.assertEqual(list(document["Details"]), list(real["Details"]))
            self.assertEqual(document["Details"]["DataStatus"], 10)
            for section in ("Dis", "MDis", "Party", "Product"):
                self.assertEqual(
                    set(document["Details"][section][0]),
                    set(real["Details"][section][0]),
                    section,
                )
        envelope = self.ask("2").json()
        self.assertEqual(
            set(envelope),
            {"Status", "Message", "DateTime", "DataStatus", "Index", "Data"},
        )

    def test_bill_headers_carry_the_bills_total(self):
        document = decode_payload(self.ask("1").text, KEY)
        self.assertEqual(
            [
                (h["Vouchar"], h["VCN"], h["CID"], h["Final"], h["Area"])
                for h in document["Details"]["MDis"]
            ],
            [("SB-0001", "SB-0001", "P002", 638.4, "Deccan")],
        )

    def test_completed_on_the_last_page(self):
        self.sandbox.settings.update(last_data_status="Completed", page_size=4)
        last = decode_payload(self.ask("1", index=2).text, KEY)["Details"]
        self.assertEqual((last["DataStatus"], last["Index"]), ("Completed", 2))
        for api_type in ("1", "2"):
            client = self.client(api_type=api_type)
            self.assertEqual(len(list(client.iter_customers())), 3)
            [bill] = list(client.iter_vouchers())
            self.assertEqual(
                (bill.number, bill.party, len(bill.items)),
                ("SB-0001", "Kulkarni Medicals", 2),
            )

    def test_the_demo_seed_is_served_whole(self):
        client = self.client()
        self.assertEqual(
            {c.external_id for c in client.iter_customers()}, {"P001", "P002", "P003"}
        )
        self.assertEqual(
            {row["PID"]: row["Stock"] for row in client.iter_stock()},
            {"I001": 240, "I002": 35},
        )
        self.assertEqual(
            copy.deepcopy(self.sandbox.books.summary()),
            {"SHARMA01": {"Party": 3, "Product": 2, "Dis": 2, "Stock": 2}},
        )
