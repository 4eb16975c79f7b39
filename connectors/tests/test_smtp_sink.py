# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SMTP sink that stands for a mail server in campaign tests."""
import smtplib
from email.message import EmailMessage

from sme_connectors.sandbox.smtp_sink import running_smtp_sink


def test_the_sink_keeps_what_smtp_delivers():
    with running_smtp_sink() as sink:
        message = EmailMessage()
        message["From"] = "offers@shop.example"
        message["To"] = "asha@shop.example"
        message["Subject"] = "Diwali offers"
        message.set_content("Lights at 20% off")
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
            refused = client.send_message(
                message, to_addrs=["asha@shop.example", "ravi@shop.example"]
            )
    assert refused == {}
    assert len(sink.messages) == 1
    received = sink.messages[0]
    assert received.mailfrom == "offers@shop.example"
    assert received.recipients == ["asha@shop.example", "ravi@shop.example"]
    assert received.message["Subject"] == "Diwali offers"
    assert "20% off" in received.message.get_content()
