#!/usr/bin/env python3
"""misq report, rendered in a real browser (issue 21).

For each saved FOI file (default: queries/*.misq) this makes the report with
`misq report FILE -o DIR/NAME.html`, then with headless Chromium:
  - reads the DOM Chromium built (`--dump-dom`) and checks every chart has
    the marks its table says it should: one bar (or point) per group row of
    the table, one cell per group and `across` column for a shaded grid —
    counted from the table's markup, not from the chart code;
  - reads, in the same DOM, where Chromium laid out every text and mark of
    every chart (a copy of the page with a script added measures each
    element's box; the report itself holds no script) and checks none
    leaves its drawing: a label or tick cut at the chart's edge;
  - takes a screenshot (`--screenshot`) and checks it is not blank: enough
    pixels that are not the white page, in more than a few colours;
  - records Chromium's network log while it loads the page (`--log-net-log`)
    and checks the page asked for nothing but itself: every URL requested
    is the file, save Chromium's own background calls to Google's update
    and account services, which it makes for any page.
Screenshots stay in DIR for a person to look at.

Exit 0 when every check passes, 1 on a failure, 77 (skipped) when no
Chromium is installed. Usage:
  python3 .ci/report_browser.py [--misq .build/debug/misq] [--out DIR] [FILES...]
"""
import glob, html, html.parser, json, os, re, shutil, struct, subprocess, sys, tempfile, urllib.parse, zlib

MAX_BARS = 60  # ChartChoice.maxBars: beyond it the chart shows the first 60 and says so


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser(exe, *args):
    # --no-sandbox: CI runs as root. Names resolve nowhere, so a report that
    # reached for the network would show it broken rather than fetch.
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--host-resolver-rules=MAP * ~NOTFOUND", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


class Answers(html.parser.HTMLParser):
    """Per section.answer: the table's rows and headers, and each chart's marks."""

    def __init__(self):
        super().__init__()
        self.answers = []
        self.stack = []
        self.where = None  # "thead", "tbody", "tfoot"
        self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        self.stack.append(tag)
        if tag == "section" and "answer" in cls:
            self.answers.append({"headers": [], "rows": [], "charts": [], "title": ""})
        if not self.answers:
            return
        ans = self.answers[-1]
        if tag in ("thead", "tbody", "tfoot"):
            self.where = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.row.append([tag, a.get("scope"), "", "missing" in cls])
        elif tag == "svg":
            ans["charts"].append({"bar": 0, "point": 0, "cell": 0, "desc": ""})
        elif tag in ("rect", "circle") and ans["charts"]:
            for k in ("bar", "point", "cell"):
                if k in cls:
                    ans["charts"][-1][k] += 1

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if not self.answers:
            return
        ans = self.answers[-1]
        if tag == "tr" and self.row is not None:
            if self.where == "thead":
                ans["headers"] = [c[2] for c in self.row]
            elif self.where == "tbody":
                ans["rows"].append(self.row)
            self.row = None
        elif tag in ("thead", "tbody", "tfoot"):
            self.where = None

    def handle_data(self, data):
        if not self.answers:
            return
        ans = self.answers[-1]
        if self.row is not None and self.stack and self.stack[-1] in ("th", "td"):
            self.row[-1][2] += data
        elif self.stack and self.stack[-1] == "desc" and ans["charts"]:
            ans["charts"][-1]["desc"] += data
        elif self.stack and self.stack[-1] in ("h2", "h3"):
            ans["title"] += data


# Hosts Chromium itself calls whatever the page (component updates, the
# clock check, accounts, dictionaries), seen in its net log for a blank page.
BROWSER_HOSTS = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")


def requested_urls(netlog):
    """Every URL in a Chromium net log that is not the browser's own call."""
    urls = set(re.findall(r'"url":"([^"]+)"', open(netlog, encoding="utf-8", errors="replace").read()))
    out = []
    for u in urls:
        p = urllib.parse.urlparse(u)
        if p.scheme in ("file", "data", "about", "chrome"):
            continue
        host = p.hostname or ""
        if any(host == h or host.endswith("." + h) for h in BROWSER_HOSTS):
            continue
        out.append(u)
    return sorted(out)


def expected_marks(ans, chart):
    """What the table says the chart must draw."""
    rows = ans["rows"]
    keys = sum(1 for c in rows[0] if c[0] == "th" and c[1] == "row") if rows else 0
    if chart["desc"].startswith("Shaded grid"):
        across = [h for h in ans["headers"][keys:] if h != "Total" and not h.endswith(" %")]
        return "cell", len(rows) * len(across)
    # A time chart has no place for a group with no date (said above it).
    dated = [r for r in rows if not (r and r[0][3])]
    if chart["desc"].startswith("Line"):
        return "point", len(dated)
    if chart["desc"].startswith("Vertical bar"):
        return "bar", len(dated)
    return "bar", min(len(rows), MAX_BARS)


# Added to a copy of the page: each chart's elements' boxes as Chromium laid
# them out, against the drawing's own box; any that leaves it by more than a
# pixel is written into the DOM for --dump-dom to carry out.
MEASURE = """<script>
(function () {
  var out = [];
  document.querySelectorAll("svg.chart").forEach(function (svg, i) {
    var box = svg.getBoundingClientRect();
    svg.querySelectorAll("text, rect, line, circle, path").forEach(function (el) {
      var b = el.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) return;
      var over = Math.max(box.left - b.left, box.top - b.top, b.right - box.right, b.bottom - box.bottom);
      if (over > 1) {
        out.push("chart " + (i + 1) + " (" + (svg.querySelector("title") || {}).textContent + "): <" + el.tagName + " class=" +
                 el.getAttribute("class") + "> '" + (el.textContent || "").slice(0, 40) + "' leaves the drawing by " + over.toFixed(1) + "px");
      }
    });
  });
  var pre = document.createElement("pre");
  pre.id = "misq-bounds";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def outside_marks(exe, page):
    """What Chromium drew outside its chart, from a copy of the page that measures."""
    text = open(page, encoding="utf-8").read()
    probe = page[:-5] + ".bounds.html"
    with open(probe, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", MEASURE + "\n</body>"))
    dom = browser(exe, "--dump-dom", "file://" + probe).stdout
    found = re.search(r'<pre id="misq-bounds">(.*?)</pre>', dom, re.S)
    if not found:
        return ["the measuring copy of the page reported nothing"]
    return json.loads(html.unescape(found.group(1)))


def png_pixels(path):
    """(width, height, rows of RGBA/RGB bytes) of an 8-bit PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"PNG depth {depth} colour {colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    out, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, ul = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if f == 1:
                line[x] = (line[x] + left) & 255
            elif f == 2:
                line[x] = (line[x] + up) & 255
            elif f == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif f == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 255
        out.append(bytes(line))
        prev = line
    return width, height, bpp, out


def not_blank(path):
    width, height, bpp, rows = png_pixels(path)
    inked, colours = 0, set()
    for r in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            px = r[x:x + 3]
            if px != b"\xff\xff\xff":
                inked += 1
            colours.add(bytes(px))
    sampled = (len(rows[::4])) * len(range(0, width * bpp, bpp * 4))
    return inked / sampled, len(colours)


def main():
    args = sys.argv[1:]
    misq, out = ".build/debug/misq", None
    while args and args[0].startswith("--"):
        flag, value = args[0], args[1]
        args = args[2:]
        if flag == "--misq":
            misq = value
        elif flag == "--out":
            out = value
    files = args or sorted(glob.glob("queries/*.misq"))
    exe = chromium()
    if not exe:
        print("report_browser: skipped, no chromium (Debian: apt-get install chromium)")
        return 77
    out = out or tempfile.mkdtemp(prefix="misq-report-")
    os.makedirs(out, exist_ok=True)
    failures = []
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        page = os.path.abspath(os.path.join(out, name + ".html"))
        made = subprocess.run([misq, "report", f, "-o", page], capture_output=True, text=True, env=env)
        if made.returncode != 0:
            failures.append(f"{f}: misq report exited {made.returncode}: {made.stderr}")
            continue
        netlog = os.path.join(out, name + ".netlog.json")
        dom = browser(exe, f"--log-net-log={netlog}", "--dump-dom", "file://" + page)
        if not os.path.exists(netlog):
            failures.append(f"{f}: Chromium wrote no net log")
        else:
            for u in requested_urls(netlog):
                failures.append(f"{f}: the page asked the network for {u}")
        parser = Answers()
        parser.feed(dom.stdout)
        if not parser.answers:
            failures.append(f"{f}: the browser's DOM has no answers")
        charts = 0
        for ans in parser.answers:
            for chart in ans["charts"]:
                charts += 1
                kind, want = expected_marks(ans, chart)
                if chart[kind] != want:
                    failures.append(f"{f}: '{ans['title'][:60]}': {chart[kind]} {kind} marks, the table has {want}")
        for line in outside_marks(exe, page):
            failures.append(f"{f}: {line}")
        shot = os.path.join(out, name + ".png")
        browser(exe, f"--screenshot={shot}", "--window-size=1100,1800", "file://" + page)
        if not os.path.exists(shot):
            failures.append(f"{f}: no screenshot")
            continue
        inked, colours = not_blank(shot)
        if inked < 0.01 or colours < 4:
            failures.append(f"{f}: the screenshot looks blank ({inked:.1%} inked, {colours} colours)")
        print(f"{f}: {len(parser.answers)} answers, {charts} charts, marks as the tables say, all inside their drawings; no network request; screenshot {shot} ({inked:.1%} inked, {colours} colours)")
    for line in failures:
        print("FAIL " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
