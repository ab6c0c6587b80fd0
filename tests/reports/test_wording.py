"""Reports in Spanish and English: words, vocabularies, numbers and dates of the locale."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import seizure_frame
from tearline.reports.assessment import AssessmentInput, AssessmentParams, render_assessment
from tearline.reports.wording import environment

FIXTURE = Path(__file__).resolve().parents[1] / "analysis" / "data" / "seizures.csv"
PARAMS = AssessmentParams(drug="fentanilo", generated_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))


@pytest.fixture(scope="module")
def data() -> AssessmentInput:
    return AssessmentInput("mx.semar.uie", seizure_frame(pacsv.read_csv(FIXTURE)))


@pytest.fixture(scope="module")
def spanish(data: AssessmentInput) -> str:
    return render_assessment(data, PARAMS, "html", "es_MX").decode("utf-8")


def _charts(html: str) -> str:
    return " ".join(base64.b64decode(uri).decode("utf-8")
                    for uri in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html))


def test_the_document_is_in_spanish(spanish: str) -> None:
    assert '<html lang="es-MX">' in spanish
    assert "<h1>Evaluación de amenaza por aseguramientos de droga</h1>" in spanish
    for words in ("Elaborado para", "Metodología", "Fuentes", "Registros de aseguramientos: "
                  "resumen", "DATOS SINTÉTICOS: 2 de los 11 registros de aseguramiento",
                  "puertos, garitas y oficinas", "<th>droga</th>", "fentanilo"):
        assert words in spanish, words
    for english in ("Methodology", "Produced for", "seizure event(s)", "SYNTHETIC DATA"):
        assert english not in spanish, english


def test_dates_and_numbers_follow_the_locale(spanish: str, data: AssessmentInput) -> None:
    assert "2 de enero de 2024, 3:04:05\u202fa.m. UTC" in spanish
    assert '<time datetime="2024-01-02T03:04:05+00:00">' in spanish  # exact, for a machine
    english = render_assessment(data, PARAMS, "html", "en_US").decode("utf-8")
    assert "January 2, 2024, 3:04:05\u202fAM UTC" in english
    percents = re.findall(r'<td class="num">([0-9.,]+)\s?%</td>', spanish)
    assert percents and all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d", p) for p in percents)


def test_the_charts_speak_the_document_s_language(spanish: str) -> None:
    charts = _charts(spanish)
    assert "fentanilo: total mensual y tendencia" in charts
    assert "promedio móvil centrado" in charts and "fentanyl" not in charts


def test_the_language_changes_the_words_never_the_figures(data: AssessmentInput,
                                                         spanish: str) -> None:
    english = render_assessment(data, PARAMS, "html", "en_US").decode("utf-8")
    digest = re.compile(r'<code id="digest">([0-9a-f]{64})</code>')
    assert digest.findall(spanish) == digest.findall(english) != []
    assert render_assessment(data, PARAMS, "json", "es_MX") == render_assessment(
        data, PARAMS, "json", "en_US")


def test_text_from_data_stays_text_inside_a_translated_sentence() -> None:
    template = environment("es_MX").from_string('{{ _("Produced for") }} {{ _("No %(drug)s '
                                                'seizure in the period.", drug=x) }}')
    assert template.render(x="<b>x</b>") == (
        "Elaborado para No hay aseguramientos de &lt;b&gt;x&lt;/b&gt; en el periodo.")
