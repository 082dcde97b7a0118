#!/usr/bin/env python3
"""Writes the committed fixtures of SpreadsheetLayoutTests: layout.xlsx by
openpyxl and layout.ods converted from it by LibreOffice (so both formats
hold the same cells), each sheet one published-table shape:

    make_layout_fixtures.py OUTDIR

- Gap: a title, a header in row 3, data rows 4-5, a blank row 6, two more
  data rows 7-8 (a second block), a blank row 9, a "Source:" line across
  two cells, a note.
- Dates: a cover sheet comes first; this sheet has two date columns.
- Names: a title, a header in row 3 with a blank cell (B3), "Cases" merged
  across C3:D3, and "Force" merged down A3:A4 over a second header row.
- Times: time-of-day cells (h:mm and h:mm:ss), date-times, and a duration
  ([h]:mm), as openpyxl writes them (numbers with those formats).
Needs openpyxl and LibreOffice (soffice).
"""
import datetime
import os
import shutil
import subprocess
import sys

import openpyxl


def book(path):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover.append(["Layout fixtures (not real figures)"])

    ws = wb.create_sheet("Gap")
    ws.append(["Table 5: Cases by force [note 1]"])
    ws.append([])
    ws.append(["Force", "Cases", "Officers"])
    ws.append(["Avon", 10, 12])
    ws.append(["Bedford", 20, 22])
    ws.append([])
    ws.append(["Cleveland", 30, 33])
    ws.append(["Dorset", 40, 44])
    ws.append([])
    ws.append(["Source:", "corpus generator, not the Home Office"])
    ws.append(["Note 1: figures are cases finalised"])

    ws = wb.create_sheet("Dates")
    ws.append(["case_id", "reported", "finalised"])
    for k, (a, b) in enumerate([((2022, 5, 3), (2022, 9, 1)), ((2023, 1, 9), (2023, 4, 30))]):
        ws.append([f"C{k + 1}", datetime.date(*a), datetime.date(*b)])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for c in row:
            c.number_format = "yyyy-mm-dd"

    ws = wb.create_sheet("Names")
    ws.append(["Table 7: cases by force and year"])
    ws.append([])
    ws.append(["Force", None, "Cases", None, None])
    ws.merge_cells("C3:D3")
    ws.merge_cells("A3:A4")
    ws.append([None, "Region", 2022, 2023, "Total"])
    ws.append(["Avon", "South West", 5, 6, 11])
    ws.append(["Bedford", "East", 7, 8, 15])

    ws = wb.create_sheet("Times")
    ws.append(["case_id", "time", "seconds", "stamp", "duration"])
    rows = [
        ["T1", datetime.time(9, 30), datetime.time(23, 59, 59), datetime.datetime(2023, 3, 31, 12, 30), datetime.timedelta(hours=36, minutes=15)],
        ["T2", datetime.time(0, 0), datetime.time(12, 0, 1), datetime.datetime(2023, 4, 1, 0, 0, 5), datetime.timedelta(minutes=45)],
    ]
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "h:mm"
        row[2].number_format = "h:mm:ss"
        row[3].number_format = "yyyy-mm-dd hh:mm:ss"
        row[4].number_format = "[h]:mm"
    wb.save(path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    xlsx = os.path.join(out, "layout.xlsx")
    book(xlsx)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = "file://" + os.path.abspath(os.path.join(out, ".profile"))
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods", "--outdir", out, xlsx],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(os.path.join(out, ".profile"), ignore_errors=True)


if __name__ == "__main__":
    main()
