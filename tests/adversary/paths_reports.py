"""Threat assessments as the viewer gets them: ``tearline report assessment`` (JSON, HTML
with its charts, and PDF with the format taken from the file name) and ``GET
/reports/assessment`` (JSON, HTML in either language, PDF, and its refusals), and the
web's Seizures page (figures and charts with its filters, the PDF download). The figures,
the inputs digest and the document must not depend on a seizure, or a weight, the viewer
may not see.

A PDF is compared by the SHA-256 of its bytes: WeasyPrint writes the same bytes for the
same document, so two worlds that give the viewer the same document give the same hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from adversary.cast import ANALYST
from adversary.paths import Api, Cli, written
from adversary.paths_api import Asking
from adversary.paths_web import web_visits, with_web
from adversary.transcript import Transcript
from adversary.worlds import Place


def run_reports(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    cli = Cli(place, out.asked)
    api = Api(cli.store, place.tokens()[viewer])
    with_web(api.app)
    try:
        ask = Asking(api, out, viewer)
        for fmt in ("json", "html"):
            path = place.scratch / f"assessment.{fmt}"
            args = ("report", "assessment", "--out", str(path), "-f", fmt, "--no-cbp",
                    "--no-unodc", "--as", ANALYST[viewer])
            out.step(f"report assessment -f {fmt}",
                     lambda a=args, p=path: written(p, lambda: cli.invoke(*a)))
        pdf = place.scratch / "assessment.pdf"
        args = ("report", "assessment", "--out", str(pdf), "--no-cbp", "--no-unodc",
                "--period", "2025", "--as", ANALYST[viewer])
        out.step("report assessment --out assessment.pdf",
                 lambda: _pdf_written(pdf, lambda: cli.invoke(*args)))
        ask("GET", "/reports/assessment?period=2025&weight=net&years=year&origin=mx")
        ask("GET", "/reports/assessment?period=FY2025&format=html")
        ask("GET", "/reports/assessment?period=FY2025&format=html&lang=es-MX")  # es-MX words
        ask("GET", "/reports/assessment?drug=unobtanium")
        ask("GET", "/reports/assessment?period=2030")
        out.begin()
        answer = api.raw("GET", "/api/v1/reports/assessment?period=2025&format=pdf")
        ask.note("GET", "/reports/assessment")
        out.add("GET /reports/assessment?format=pdf", f"{answer.status_code}\n"
                f"{answer.headers.get('content-type')}\n{hashlib.sha256(answer.content).hexdigest()}")
        web_visits(place, viewer, out, api.app, (
            "/web/seizures?period=2025&weight=net&years=year&origins=mx",
            "/web/seizures?drug=unobtanium", "/web/seizures/pdf?period=2025"))
    finally:
        api.close()
        cli.close()
    return out


def _pdf_written(path: Path, run: Callable[[], str]) -> str:
    """What ``run`` printed, and the SHA-256 of the PDF it wrote at ``path``."""
    path.unlink(missing_ok=True)
    said = run()
    return said + (hashlib.sha256(path.read_bytes()).hexdigest() if path.exists()
                   else "<no file>")
