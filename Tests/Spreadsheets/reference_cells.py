#!/usr/bin/env python3
"""Every non-empty cell of every sheet of a workbook, as an independent
reader sees it, for SpreadsheetDifferentialTests:

    reference_cells.py calamine|openpyxl|odfpy WORKBOOK

prints JSON {"sheets": [{"name": N, "cells": [[row, col, kind, value], ...]}]}
with 0-based rows and columns; kind is n (number), d (date: [day number
since 1970-01-01, has a time of day]), b, s (text), e (formula error) or
t (a time of day or duration: its seconds).
"""
import datetime
import json
import sys

EPOCH = datetime.date(1970, 1, 1)


def cell(v):
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return ["b", v]
    if isinstance(v, (int, float)):
        return ["n", float(v)]
    if isinstance(v, datetime.datetime):
        t = v.time() != datetime.time(0, 0)
        return ["d", [(v.date() - EPOCH).days, t]]
    if isinstance(v, datetime.date):
        return ["d", [(v - EPOCH).days, False]]
    if isinstance(v, datetime.time):
        return ["t", v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6]
    if isinstance(v, datetime.timedelta):
        return ["t", v.total_seconds()]
    if isinstance(v, str):
        return ["s", v]
    return ["e", str(v)]


def calamine(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        # skip_empty_area=False: rows and columns from A1, not from the
        # first used cell.
        cells = []
        for r, row in enumerate(sheet.to_python(skip_empty_area=False)):
            for c, v in enumerate(row):
                x = cell(v)
                if x:
                    cells.append([r, c, x[0], x[1]])
        out.append({"name": name, "cells": cells})
    return out


def openpyxl_cells(path):
    import openpyxl
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    out = []
    for ws in wb.worksheets:
        cells = []
        for r, row in enumerate(ws.iter_rows(values_only=False)):
            for cobj in row:
                if getattr(cobj, "value", None) is None:
                    continue
                v = cobj.value
                if cobj.data_type == "e":
                    x = ["e", str(v)]
                else:
                    x = cell(v)
                if x:
                    cells.append([cobj.row - 1, cobj.column - 1, x[0], x[1]])
        out.append({"name": ws.title, "cells": cells})
    return out


def main():
    reader, path = sys.argv[1], sys.argv[2]
    sheets = calamine(path) if reader == "calamine" else openpyxl_cells(path)
    json.dump({"sheets": sheets}, sys.stdout)


if __name__ == "__main__":
    main()
