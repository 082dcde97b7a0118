"""Parses every statement misq sql wrote with sqlglot, in the target's own
dialect (SQLCompileTests). Reads JSON [{"target", "name", "sql"}] on stdin;
prints one line per statement that does not parse, and exits 1 if any."""
import json
import sys

import sqlglot
from sqlglot.errors import ErrorLevel

failed = 0
jobs = json.load(sys.stdin)
for job in jobs:
    try:
        trees = sqlglot.parse(job["sql"], read=job["target"], error_level=ErrorLevel.RAISE)
        if len([t for t in trees if t is not None]) != 1:
            raise ValueError("expected one statement, got %d" % len(trees))
    except Exception as e:  # noqa: BLE001 - every failure is reported, with its statement
        failed += 1
        print("%s [%s]: %s" % (job["name"], job["target"], str(e).replace("\n", " ")[:400]))
print("parsed %d statements, %d failed" % (len(jobs), failed), file=sys.stderr)
sys.exit(1 if failed else 0)
