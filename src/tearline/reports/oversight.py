"""The signed oversight report as JSON and PDF, in Spanish or English, with its marking.

The JSON is the signed document itself (``oversight/report.py``), written in its
canonical form so that its digest can be recomputed from the file. The PDF renders the
same document: the marking as a banner on every page, page numbers, the log range and
checkpoint it covers, then one block per exchange. Every value is escaped (autoescape
on; no value is marked safe). Its template is separate from the assessment's
(``templates/oversight/``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from tearline.audit.canonical import canonical_bytes
from tearline.model.marking import Marking
from tearline.reports.oversight_labels import labels
from tearline.reports.pdf import html_to_pdf


def banner(marking: Mapping[str, Any]) -> str:
    """One line naming the report's marking: ``TLP:AMBER // agency:mx.semar // OVERSIGHT``."""
    parts = [f"TLP:{marking.get('tlp', '')}"]
    parts += [str(r) for r in marking.get("releasable_to", [])]
    parts += [str(c) for c in marking.get("caveats", [])]
    return " // ".join(parts)


def render_json(document: Mapping[str, Any]) -> bytes:
    return canonical_bytes(dict(document))


def render_html(document: Mapping[str, Any], language: str | None = None) -> str:
    check_marking(document)
    words = labels(language or str(document["language"]))
    environment = Environment(loader=PackageLoader("tearline.reports", "templates"),
                              autoescape=True, undefined=StrictUndefined,
                              keep_trailing_newline=True)
    return environment.get_template("oversight/report.html").render(
        r=document, w=words, banner=banner(document["marking"]),
        lang=language or document["language"])


def render_pdf(document: Mapping[str, Any], language: str | None = None) -> bytes:
    return html_to_pdf(render_html(document, language))


def check_marking(document: Mapping[str, Any]) -> Marking:
    """The report's marking, parsed (a report without a valid marking is not rendered)."""
    return Marking.from_dict(dict(document["marking"]))
