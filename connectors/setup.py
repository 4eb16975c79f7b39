# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The accounting connectors of SME Hub as a plain-Python distribution.

``sme_connectors`` holds one client per accounting system (no ``odoo``
import); ``sme_connectors.sandbox`` holds the local servers that answer like
those systems, which the connectors' tests, the hub's tests and the demo
run against. The Busy sandbox serves the real Busy agent, so the agent
(``busy_agent``, kept in the repository's top-level folder that is copied to
the Busy PC) is installed with it.
"""

from setuptools import setup

setup(
    name="sme-hub-connectors",
    version="11.0.2.0.0",
    description="Clients for Tally, Zoho Books, QuickBooks Online, Busy and Marg, "
    "with local sandboxes that answer like them",
    author="SME Hub",
    license="LGPL-3",
    python_requires=">=3.7",
    packages=[
        "sme_connectors",
        "sme_connectors.busy",
        "sme_connectors.marg",
        "sme_connectors.quickbooks",
        "sme_connectors.tally",
        "sme_connectors.zoho",
        "sme_connectors.sandbox",
        "sme_connectors.sms",
        "busy_agent",
    ],
    package_dir={"busy_agent": "../busy_agent"},
    # The sandboxes' seed files and the connectors' notes on each system.
    package_data={
        "sme_connectors.sandbox": ["data/*.json"],
        "sme_connectors.quickbooks": ["README.md"],
        "sme_connectors.zoho": ["README.md"],
    },
    # Kept within the pins of the repository's requirements.txt.
    install_requires=[
        "cryptography>=2.1",
        "lxml>=4.2",
        "phonenumbers>=8.8",
        "requests>=2.20",
    ],
    extras_require={"test": ["pytest>=7"]},
)
