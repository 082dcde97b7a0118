#!/usr/bin/env python3
"""misq report --vega: every Vega-Lite spec compiles and renders (issue 21).

For each chartN.vl.json in the folders given, vl-convert-python (PyPI: the
Vega-Lite compiler and Vega renderer, no browser) renders it to SVG; the
check is that it renders, that both axes have titles, and that the picture
has one mark per value in the spec's data (bars, points, or grid cells and
their labels), a value of null (a gap) drawing none.

Exit 0 when every spec passes, 1 on a failure, 77 (skipped) without
vl-convert-python. Usage: python3 .ci/vega_check.py DIR...
"""
import collections, glob, json, os, re, sys

try:
    import vl_convert
except ImportError:
    print("vega_check: skipped, no vl-convert-python (pip install vl-convert-python)")
    sys.exit(77)


def main():
    failures, checked = [], 0
    for folder in sys.argv[1:]:
        for path in sorted(glob.glob(os.path.join(folder, "chart*.vl.json"))):
            checked += 1
            name = os.path.basename(path)
            try:
                spec = json.load(open(path, encoding="utf-8"))
                svg = vl_convert.vegalite_to_svg(spec)
            except Exception as e:  # a spec that does not parse or compile
                failures.append(f"{name}: {e}")
                continue
            enc = spec.get("encoding", {})
            for axis in ("x", "y"):
                if not enc.get(axis, {}).get("title"):
                    failures.append(f"{name}: the {axis} axis has no title")
            values = [v for v in spec["data"]["values"] if v.get("value") is not None]
            marks = collections.Counter(re.findall(r'aria-roledescription="([a-z ]+)"', svg))
            mark = spec.get("mark")
            if isinstance(mark, dict):
                drawn, kind = marks["point"], "points"
            elif mark == "bar":
                drawn, kind = marks["bar"], "bars"
            else:  # the shaded grid: a rect and a text per cell
                drawn, kind = min(marks["rect mark"], marks["text mark"]), "cells"
            if drawn != len(values):
                failures.append(f"{name}: {drawn} {kind} drawn, {len(values)} values in its data")
    for f in failures:
        print("FAIL " + f)
    print(f"vega_check: {checked} specs, {len(failures)} failures")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
