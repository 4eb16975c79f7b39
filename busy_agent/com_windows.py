# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Busy's COM DLL through pywin32: the only Windows-only code of the agent.

Busy's DLL is 32-bit: run the agent with a 32-bit Python on the Busy PC.
Calls are made from one thread only (the agent's server is single-threaded),
as the DLL's apartment model requires.
"""
from .com import BusyCom, BusyUnavailable

PROG_IDS = ("Busy2L21.CFixedInterface", "Busy2L16.CFixedInterface")


class Win32BusyCom(BusyCom):
    def __init__(
        self,
        busy_path,
        data_path,
        company_code,
        financial_year=None,
        sql_server=None,
        sql_user=None,
        sql_password=None,
    ):
        self.busy_path = busy_path
        self.data_path = data_path
        self.company_code = company_code
        self.financial_year = financial_year
        self.sql_server = sql_server
        self.sql_user = sql_user
        self.sql_password = sql_password
        self._dll = None

    def _object(self):
        if self._dll is None:
            import pythoncom  # noqa: F401  (pywin32, on the Busy PC only)
            import win32com.client

            errors = []
            for prog_id in PROG_IDS:
                try:
                    self._dll = win32com.client.Dispatch(prog_id)
                    break
                except Exception as error:  # pywintypes.com_error: the ProgID is not registered
                    errors.append("%s: %s" % (prog_id, error))
            if self._dll is None:
                raise BusyUnavailable(
                    "Busy's COM DLL is not registered on this PC (%s)"
                    % "; ".join(errors)
                )
        return self._dll

    def open_company(self):
        dll = self._object()
        if self.sql_server:
            opened = dll.OpenCSDBForYear(
                self.busy_path,
                self.sql_server,
                self.sql_user or "",
                self.sql_password or "",
                self.company_code,
                self.financial_year or 0,
            )
        elif self.financial_year:
            opened = dll.OpenDB(
                self.busy_path, self.data_path, self.company_code, self.financial_year
            )
        else:
            opened = dll.OpenDB(self.busy_path, self.data_path, self.company_code)
        if not opened:
            raise BusyUnavailable(
                "Busy could not open company %s in %s"
                % (self.company_code, self.data_path)
            )

    def query(self, sql):
        recordset = self._object().GetRecordset(sql)
        rows = []
        if recordset is None:
            return rows
        names = [recordset.Fields.Item(i).Name for i in range(recordset.Fields.Count)]
        while not recordset.EOF:
            rows.append({name: recordset.Fields.Item(name).Value for name in names})
            recordset.MoveNext()
        recordset.Close()
        return rows

    @staticmethod
    def _outcome(answer):
        # pywin32 returns ByRef arguments after the result: (ok, err[, code]).
        if isinstance(answer, tuple):
            ok, error = bool(answer[0]), answer[1] if len(answer) > 1 else ""
            code = answer[2] if len(answer) > 2 else None
            return ok, error or "", code
        return bool(answer), "", None

    def save_master(self, master_type, xml, modify=False):
        return self._outcome(
            self._object().SaveMasterFromXML(master_type, xml, "", modify)
        )

    def save_voucher(self, vch_type, xml, modify=False):
        return self._outcome(self._object().SaveVchFromXML(vch_type, xml, "", modify))

    def delete_voucher(self, vch_type, series, date_ddmmyyyy, number):
        return self._outcome(
            self._object().DeleteVch(vch_type, series, date_ddmmyyyy, number, "")
        )

    def close(self):
        if self._dll is not None:
            self._dll.CloseDB()
            self._dll = None
