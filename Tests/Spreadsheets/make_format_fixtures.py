#!/usr/bin/env python3
"""Writes the committed fixtures of SpreadsheetFormatTests (files that are
not readable workbooks, each to be named for what it is):

    make_format_fixtures.py OUTDIR

- old.xls: published.xlsx saved by LibreOffice as Excel 97-2003 (OLE2).
- locked.xlsx: an openpyxl workbook encrypted with the password "misq" by
  msoffcrypto-tool (an OLE2 file holding EncryptionInfo and EncryptedPackage,
  as Excel writes a password-protected workbook).
- locked.ods: an ODS whose manifest declares its content.xml encrypted
  (ODF 1.2 part 3, manifest:encryption-data), its content random bytes, as
  LibreOffice's layout is: misq must say so before trying to parse it.
- export.xls: an HTML table under an .xls name, as web exports are.
Needs openpyxl, msoffcrypto-tool and LibreOffice (soffice).
"""
import io
import os
import shutil
import subprocess
import sys
import zipfile

import msoffcrypto
import msoffcrypto.format.ooxml
import openpyxl


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    published = os.path.join(here, "..", "MisqKitTests", "Fixtures", "sheets", "published.xlsx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = "file://" + os.path.abspath(os.path.join(out, ".profile"))
    work = os.path.join(out, ".work")
    os.makedirs(work, exist_ok=True)
    shutil.copy(published, os.path.join(work, "old.xlsx"))
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls", "--outdir", out,
                    os.path.join(work, "old.xlsx")], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    wb = openpyxl.Workbook()
    wb.active.append(["force", "n"])
    wb.active.append(["Kent", 1])
    plain = io.BytesIO()
    wb.save(plain)
    plain.seek(0)
    office = msoffcrypto.format.ooxml.OOXMLFile(plain)
    with open(os.path.join(out, "locked.xlsx"), "wb") as f:
        office.encrypt("misq", f)

    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="2211">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
   <manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/>
   <manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>
"""
    with zipfile.ZipFile(os.path.join(out, "locked.ods"), "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", bytes(range(256)) * 8, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)

    with open(os.path.join(out, "export.xls"), "w") as f:
        f.write("<html><body><table><tr><td>force</td><td>n</td></tr><tr><td>Kent</td><td>1</td></tr></table></body></html>\n")
    shutil.rmtree(work)
    shutil.rmtree(os.path.join(out, ".profile"), ignore_errors=True)


if __name__ == "__main__":
    main()
