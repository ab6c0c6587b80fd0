"""Threat assessments as the viewer gets them: ``tearline report assessment`` (JSON and
HTML, with its charts) and ``GET /reports/assessment``. The figures, the inputs digest
and the document must not depend on a seizure, or a weight, the viewer may not see."""

from __future__ import annotations

from adversary.cast import ANALYST
from adversary.paths import Api, Cli, written
from adversary.paths_api import Asking
from adversary.transcript import Transcript
from adversary.worlds import Place


def run_reports(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    cli = Cli(place, out.asked)
    api = Api(cli.store, place.tokens()[viewer])
    try:
        ask = Asking(api, out, viewer)
        for fmt in ("json", "html"):
            path = place.scratch / f"assessment.{fmt}"
            args = ("report", "assessment", "--out", str(path), "-f", fmt, "--no-cbp",
                    "--as", ANALYST[viewer])
            out.step(f"report assessment -f {fmt}",
                     lambda a=args, p=path: written(p, lambda: cli.invoke(*a)))
        ask("GET", "/reports/assessment?period=2025&weight=net&years=year&origin=mx")
    finally:
        api.close()
        cli.close()
    return out
