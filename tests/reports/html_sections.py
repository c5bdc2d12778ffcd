"""Read the HTML report back in tests without a browser."""

import html
from html.parser import HTMLParser
import re

_SCENARIO = re.compile(
    r'<section class="scenario (?P<status>\w+)" id="[^"]+">(?P<body>.*?)</section>', re.S)
_TITLE = re.compile(r"<h3>(?P<title>.*?)</h3>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def text_of(fragment):
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(_TAGS.sub("", fragment))


def scenarios(report_html):
    """{scenario name: (status, section html)} in page order."""
    found = {}
    for match in _SCENARIO.finditer(report_html):
        title = text_of(_TITLE.search(match["body"])["title"])
        name = title.split(":", 1)[1].strip()
        found[name] = (match["status"], match["body"])
    return found


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = [tag, dict(attrs).get("class", ""), ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))
            self._cell = None


def table_rows(table_html):
    """Rows of an HTML table as lists of (tag, css class, text) cells."""
    reader = _TableReader()
    reader.feed(table_html)
    return reader.rows
