"""Accounting system connectors: plain Python, no ``odoo`` import.

Each system is a package with a client that speaks the system's real wire
protocol and turns its answers into the records of :mod:`.base`. Odoo models
orchestrate them (see ``models/``); the connectors stay portable and are
tested against the local sandboxes in ``sandbox/``.
"""
