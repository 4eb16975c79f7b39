# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Marg connector against the Marg sandbox over a real socket, and its
decoder against payloads sealed exactly as Marg seals them."""
import base64
import json
import unittest
import zlib

import requests

from sme_connectors.base import AuthError, ConnectorError, TransientError
from sme_connectors.marg import MargClient, MargDecodeError, decode_payload
from sme_connectors.marg.records import best_phone
from sme_connectors.sandbox.marg_codec import seal
from sme_connectors.sandbox.testing import running_marg

KEY, MARG_KEY = "SharmaDecrypt01", "demo-marg-key-0001"


class TestDecoding(unittest.TestCase):
    def test_round_trip_with_unicode(self):
        document = {
            "Party": [{"CID": "P9", "ParNam": "श्री गणेश Traders"}],
            "Details": [],
        }
        self.assertEqual(decode_payload(seal(document, KEY), KEY), document)

    def test_long_keys_are_cut_and_short_ones_padded(self):
        document = {"Stock": [{"PID": "I1", "Stock": 5}]}
        self.assertEqual(
            decode_payload(seal(document, "0123456789abcdefEXTRA"), "0123456789abcdef"),
            document,
        )
        self.assertEqual(decode_payload(seal(document, "abc"), "abc\0\0"), document)

    def test_byte_order_mark_is_stripped(self):
        # Marg's .NET side may write a BOM before the JSON: build such a payload by hand.
        from cryptography.hazmat.backends import default_backend
        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        inner = base64.b64encode(
            deflater.compress(b"\xef\xbb\xbf" + json.dumps({"a": 1}).encode())
            + deflater.flush()
        )
        padder = padding.PKCS7(128).padder()
        key = KEY.encode()[:16].ljust(16, b"\0")
        encryptor = Cipher(
            algorithms.AES(key), modes.CBC(key), backend=default_backend()
        ).encryptor()
        sealed = base64.b64encode(
            encryptor.update(padder.update(inner) + padder.finalize())
            + encryptor.finalize()
        )
        self.assertEqual(decode_payload(sealed.decode(), KEY), {"a": 1})

    def test_wrong_key_gives_a_clear_error(self):
        with self.assertRaises(MargDecodeError) as error:
            decode_payload(seal({"Party": []}, KEY), "NotTheKey")
        self.assertIn("decryption key", str(error.exception))
        with self.assertRaises(MargDecodeError) as error:
            decode_payload("this is not base64 at all!", KEY)
        self.assertIn("not base64", str(error.exception))

    def test_best_phone_prefers_a_valid_mobile(self):
        self.assertEqual(
            best_phone({"Phone1": "020 2567 1234", "Phone2": "98220 44556"}),
            "98220 44556",
        )
        self.assertEqual(
            best_phone({"Phone1": "12", "Phone3": "020 2567 1234"}), "020 2567 1234"
        )
        self.assertEqual(
            best_phone({"Phone1": "12"}), "12"
        )  # the master reports it as invalid
        self.assertIsNone(best_phone({"Phone1": "", "Phone2": None}))


class MargCase(unittest.TestCase):
    def setUp(self):
        server = running_marg()
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.client = self.make_client()

    def make_client(self, **overrides):
        values = dict(
            url=self.url,
            company_code="SHARMA01",
            marg_key=MARG_KEY,
            decryption_key=KEY,
            company_id="1",
            timeout=5,
        )
        values.update(overrides)
        return MargClient(**values)


class TestReads(MargCase):
    def test_connection_reports_the_company(self):
        seconds, text = self.client.test_connection()
        self.assertLess(seconds, 5)
        self.assertIn("1 branch", text)

    def test_parties_become_customers(self):
        customers = {c.external_id: c for c in self.client.iter_customers()}
        self.assertEqual(set(customers), {"P001", "P002", "P003"})
        kulkarni = customers["P002"]
        self.assertEqual(
            (
                kulkarni.name,
                kulkarni.phone,
                kulkarni.gstin,
                kulkarni.street,
                kulkarni.zip,
            ),
            (
                "Kulkarni Medicals",
                "98220 44556",
                "27AAACK1234F1Z0",
                "4 FC Road, Pune",
                "411004",
            ),
        )
        self.assertIsNone(kulkarni.version)
        self.assertEqual(kulkarni.position, self.sandbox.books.now())

    def test_pages_until_data_status_10(self):
        self.sandbox.settings["page_size"] = 2
        customers = list(self.client.iter_customers())
        self.assertEqual(len(customers), 3)
        self.assertGreaterEqual(self.sandbox.requests_seen, 5)  # 9 rows in pages of 2

    def test_incremental_read_from_the_last_datetime(self):
        stamp = list(self.client.iter_customers())[-1].position
        self.assertEqual(list(self.client.iter_customers(since=stamp)), [])
        self.sandbox.books.upsert(
            "SHARMA01",
            "Party",
            {"CID": "P004", "ParNam": "New Chemist", "Phone1": "9822012345"},
        )
        later = list(self.client.iter_customers(since=stamp))
        self.assertEqual([c.name for c in later], ["New Chemist"])
        self.assertGreater(later[0].position, stamp)

    def test_sales_details_grouped_into_bills(self):
        vouchers = list(self.client.iter_vouchers())
        self.assertEqual(len(vouchers), 1)
        bill = vouchers[0]
        self.assertEqual(
            (
                bill.kind,
                bill.number,
                bill.date,
                bill.party,
                bill.party_id,
                bill.external_id,
            ),
            (
                "sales",
                "SB-0001",
                "2026-01-15",
                "Kulkarni Medicals",
                "P002",
                "SB-0001|2026-01-15",
            ),
        )
        self.assertEqual(
            [(i.name, i.quantity, i.amount, i.tax_amount) for i in bill.items],
            [
                ("Paracetamol 500 mg (10 tabs)", 10.0, 250.0, 30.0),
                ("Cough Syrup 100 ml", 4.0, 320.0, 38.4),
            ],
        )

    def test_names_of_unchanged_parties_come_from_the_masters(self):
        stamp = self.sandbox.books.now()
        self.sandbox.books.upsert(
            "SHARMA01",
            "Details",
            {
                "Voucher": "SB-0002",
                "Type": "S",
                "Vcn": "SB-0002",
                "Date": "16/01/2026",
                "CID": "P001",
                "PID": "I002",
                "Batch": "C7",
                "Qty": 1,
                "Rate": 80,
                "Amount": 80.0,
                "GST": 12,
                "GSTamount": 9.6,
            },
        )
        [bill] = list(self.client.iter_vouchers(since=stamp))
        self.assertEqual(
            (bill.party, bill.date, bill.items[0].name),
            ("Asha Rao", "2026-01-16", "Cough Syrup 100 ml"),
        )

    def test_stock_and_products(self):
        stock = {row["PID"]: row["Stock"] for row in self.client.iter_stock()}
        self.assertEqual(stock, {"I001": 240, "I002": 35})
        self.assertEqual(len(list(self.client.iter_products())), 2)

    def test_raw_string_answers(self):
        client = self.make_client(api_type="1")
        self.assertEqual(len(list(client.iter_customers())), 3)


class TestFailures(MargCase):
    def test_wrong_marg_key_or_company(self):
        with self.assertRaises(AuthError) as error:
            list(self.make_client(marg_key="wrong").iter_customers())
        self.assertIn("Invalid MargKey", str(error.exception))
        with self.assertRaises(AuthError) as error:
            self.make_client(company_code="NOPE").test_connection()
        self.assertIn("Invalid Company Code", str(error.exception))

    def test_wrong_decryption_key(self):
        with self.assertRaises(AuthError) as error:
            list(self.make_client(decryption_key="NotTheKey").iter_customers())
        self.assertIn("decryption key", str(error.exception))
        self.assertNotIn("NotTheKey", str(error.exception))

    def test_server_faults_are_transient(self):
        self.sandbox.faults.extend(["http500", "http429"])
        with self.assertRaises(TransientError):
            list(self.client.iter_customers())
        with self.assertRaises(TransientError) as error:
            list(self.client.iter_customers())
        self.assertEqual(error.exception.retry_after, 3.0)
        self.assertEqual(len(list(self.client.iter_customers())), 3)

    def test_marg_takes_no_writes(self):
        with self.assertRaises(ConnectorError) as error:
            self.client.push_customer(None)
        self.assertIn("only pulls", str(error.exception))

    def test_branches_are_plain_json(self):
        answer = requests.get(
            self.url + "api/margcorporateede/masters",
            params={"companycode": "SHARMA01"},
        ).json()
        self.assertEqual(self.client.branches(), answer["Data"])
