"""An assessment made in Spanish reads in Spanish: key judgments, sentences, captions,
table headers, chart titles and legends, source notes, parameters (the PDF's text is
checked the same way in ``test_assessment_pdf.py``).

The check is a list of English words that are never Spanish (``data/english_words.txt``):
none may be left in the Spanish document outside its verbatim parts — identifiers and
file names, and the titles of cited works (``<cite>``), which are their publishers' own
words. The same list finds plenty in the English document, so the check can fail.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import seizure_frame
from tearline.reports.assessment import AssessmentInput, AssessmentParams, render_assessment
from tearline.sources.cbp import cbp_frame, read_cbp
from tearline.sources.provenance import FileProvenance
from tearline.sources.unodc import parse_unodc_text

TESTS = Path(__file__).resolve().parents[1]
ENGLISH = frozenset(
    line.strip() for line in (TESTS / "reports" / "data" / "english_words.txt").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))
PARAMS = AssessmentParams(drug="fentanyl", generated_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
CBP_SHA = "5c93d66cf3498ac977064f384e029588f7ad1f410e71db328f7168b40db999db"
UNODC = ("Region,country,ISO Code,Drug Group,Drug,Year,KG Equivalent\n"
         "Americas,Mexico,MEX,Opioids,Other illicit opioids,2018,12\n"
         "Americas,United States of America,USA,Opioids,Other illicit opioids,2019,30\n")


def _records() -> AssessmentInput:
    frame = seizure_frame(pacsv.read_csv(TESTS / "analysis" / "data" / "seizures.csv"))
    return AssessmentInput("mx.semar.uie", frame)


@pytest.fixture(scope="module")
def everything() -> AssessmentInput:
    """Records, CBP's published aggregates, a cited reference file and UNODC's long run."""
    series = read_cbp([TESTS / "sources" / "data" / "cbp_older.csv",
                       TESTS / "sources" / "data" / "cbp_newer.csv"])
    cited = FileProvenance("nationwide-drugs-fy20-fy23.csv", CBP_SHA, 9924)
    return AssessmentInput("mx.semar.uie", _records().seizures, cbp_frame(series),
                           (*series.files, cited), tuple(parse_unodc_text(UNODC, "u.csv")))


def _visible_text(document: str) -> str:
    """What a person reads: text, alternative texts and the charts' words, without the
    verbatim parts (code, cited titles, styles)."""
    charts = " ".join(
        " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", base64.b64decode(uri).decode()))
        for uri in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", document))
    alts = " ".join(re.findall(r'alt="([^"]*)"', document))
    body = re.sub(r"<(style|code|cite)\b.*?</\1>", " ", document, flags=re.S)
    return html.unescape(" ".join((re.sub(r"<[^>]+>", " ", body), alts, charts)))


def english_words(text: str) -> set[str]:
    """The listed English words in ``text``; identifiers, paths and file names (words
    joined by dots, slashes or underscores) are data and left out."""
    prose = re.sub(r"\S*(\w[./_]\w)\S*", " ", text)
    return {w for w in re.findall(r"[^\W\d_]+", prose.lower()) if w in ENGLISH}


def test_the_spanish_assessment_leaves_no_english_word(everything: AssessmentInput) -> None:
    spanish = _visible_text(render_assessment(everything, PARAMS, "html", "es_MX").decode())
    assert not english_words(spanish), sorted(english_words(spanish))
    for words in ("Evaluamos con confianza baja que los aseguramientos de fentanilo",
                  "Opioides farmacéuticos", "México (kg)", "Frontera suroeste",
                  "vehículo particular", "tanque de gasolina", "Copia obtenida de",
                  "obra del gobierno de EE. UU., dominio público", "peso bruto"):
        assert words in spanish, words
    english = _visible_text(render_assessment(_records(), PARAMS, "html", "en_US").decode())
    assert len(english_words(english)) > 80  # the check finds what it looks for
    assert "We assess with low confidence that fentanyl seizures increased" in english
