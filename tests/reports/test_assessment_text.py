"""Text from Seizure records in an assessment: escaped in HTML, literal in charts, never markup.

The rows are what a store may hand the report: text written by any unit with a write
token, from before today's input checks, or from a peer. Each hostile string is put in
every text column of a record; the document must render, in every format, and show
the text as text.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from hostile import hostile_strings
from tearline.analysis.frame import SeizureRow, seizure_frame
from tearline.reports import charts
from tearline.reports.assessment import AssessmentInput, AssessmentParams, render_assessment

PARAMS = AssessmentParams(drug="fentanyl", top=100, generated_at=datetime(2024, 1, 2, tzinfo=UTC))


def _rows(text: str) -> list[SeizureRow]:
    hostile = SeizureRow(f"h-{len(text)}", date(2023, 3, 1), "fentanyl", 5.0, None, "mx",
                         None, "us", region=text, port=text, conveyance=text,
                         concealment=text, latitude=32.5, longitude=-117.0)
    plain = SeizureRow("p-1", date(2023, 4, 1), "fentanyl", 2.0, None, "cn", None, "us",
                       region="Southwest Border", port="San Ysidro")
    other_drug = SeizureRow("d-1", date(2023, 4, 1), text, 1.0)
    return [hostile, plain, other_drug]


class _Document(HTMLParser):
    """Tags, attributes and text of an HTML document, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _all_rows() -> list[SeizureRow]:
    return [row for text in hostile_strings() for row in _rows(text)]


def _unescaped(svg: bytes) -> str:
    text = svg.decode("utf-8")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#x27;", "'"),
                         ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def test_html_shows_text_from_data_as_text() -> None:
    data = AssessmentInput("mx.fgr.femdo", seizure_frame(_all_rows()))
    page = _Document()
    page.feed(render_assessment(data, PARAMS, "html").decode("utf-8"))
    assert {tag for tag, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "table", "tr",
        "th", "td", "strong", "section", "p", "span", "img", "ul", "li", "code", "div", "time"}
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "img":
            assert str(attrs["src"]).startswith("data:image/svg+xml;base64,")
    shown = " ".join(" ".join(page.text).split())
    drawn = _unescaped(b"".join(base64.b64decode(str(a["src"]).split(",", 1)[1])
                                for t, a in page.tags if t == "img"))
    for text in hostile_strings():
        assert " ".join(text.split()) in shown  # the by-drug, port and conveyance tables
        assert charts.label(text) in drawn  # the legend of regions


def test_every_format_renders() -> None:
    data = AssessmentInput("mx.fgr.femdo", seizure_frame(_all_rows()))
    for fmt in ("json", "html", "pdf"):
        assert render_assessment(data, PARAMS, fmt)  # type: ignore[arg-type]
