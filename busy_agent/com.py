# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one interface the agent uses to reach Busy.

On the PC it is ``com_windows.Win32BusyCom`` (Busy's COM DLL through
pywin32); in tests and in the sandbox it is ``sandbox.busy_com.FakeBusyCom``,
an in-memory Busy that answers the same calls the same way.
"""


class BusyCom(object):
    """What the agent needs of Busy. Each save/delete returns
    ``(ok, error_text, voucher_code_or_None)`` as Busy reports them."""

    def open_company(self):
        """Open the configured company; raise ``BusyUnavailable`` if Busy cannot."""
        raise NotImplementedError

    def query(self, sql):
        """Rows of a read-only SQL query over Busy's tables, as dicts."""
        raise NotImplementedError

    def save_master(self, master_type, xml, modify=False):
        raise NotImplementedError

    def save_voucher(self, vch_type, xml, modify=False):
        raise NotImplementedError

    def delete_voucher(self, vch_type, series, date_ddmmyyyy, number):
        raise NotImplementedError

    def close(self):
        pass


class BusyUnavailable(Exception):
    """Busy could not be reached or its data could not be opened."""
