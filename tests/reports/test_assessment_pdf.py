"""The PDF assessment, checked as images: pages rendered by pdftoppm (poppler-utils).

The PDF is made in Spanish, so its text (pdftotext) also shows that no English word is
left in a Spanish product (``test_report_language.english_words``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pytest
from PIL import Image
from test_report_language import english_words

from tearline.analysis.frame import seizure_frame
from tearline.reports.assessment import AssessmentInput, AssessmentParams, render_assessment
from tearline.reports.charts import PALETTE

FIXTURE = Path(__file__).resolve().parents[1] / "analysis" / "data" / "seizures.csv"
DPI = 50
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    top: float  # points
    bottom: float


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Image.Image], list[Word]]:
    data = AssessmentInput("mx.semar.uie", seizure_frame(pacsv.read_csv(FIXTURE)))
    params = AssessmentParams(generated_at=datetime(2024, 1, 2, tzinfo=UTC))
    pdf = render_assessment(data, params, "pdf", "es_MX")
    assert pdf.startswith(b"%PDF-")
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "a.pdf").write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(DPI), "-png", "a.pdf", "page"], cwd=folder, check=True
    )
    subprocess.run([_tool("pdftotext"), "-bbox", "a.pdf", "a.html"], cwd=folder, check=True)
    pages = [Image.open(p).convert("RGB") for p in sorted(folder.glob("page-*.png"))]
    words: list[Word] = []
    for number, page in enumerate((folder / "a.html").read_text().split("<page ")[1:]):
        for _x0, y0, _x1, y1, text in WORD.findall(page):
            words.append(Word(number, text, float(y0), float(y1)))
    return pages, words


def _heading(words: list[Word], *texts: str) -> Word:
    """The last word of the first run of consecutive words equal to ``texts``."""
    for i in range(len(words) - len(texts) + 1):
        if all(words[i + j].text == t for j, t in enumerate(texts)):
            return words[i + len(texts) - 1]
    raise AssertionError(f"heading {' '.join(texts)!r} not found in the PDF")


def _band(pages: list[Image.Image], word: Word, height_pt: float) -> Image.Image:
    page = pages[word.page]
    top = int(word.bottom * DPI / 72)
    return page.crop((0, top, page.width, min(page.height, top + int(height_pt * DPI / 72))))


def _near(image: Image.Image, hex_color: str, tolerance: int = 40) -> int:
    target = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int32)
    distance = np.abs(np.asarray(image, dtype=np.int32) - target).sum(axis=2)
    return int((distance <= tolerance).sum())


def _coloured(image: Image.Image) -> int:
    """Pixels with a clear hue (chart marks), as opposed to black, grey or white."""
    pixels = np.asarray(image, dtype=np.int32)
    return int((pixels.max(axis=2) - pixels.min(axis=2) > 40).sum())


def _ink(image: Image.Image) -> int:
    return int((np.asarray(image).min(axis=2) < 200).sum())


def test_pages_exist(rendered: tuple[list[Image.Image], list[Word]]) -> None:
    pages, words = rendered
    assert len(pages) >= 2
    assert {"Metodología", "Fuentes"} <= {w.text for w in words}


def test_the_spanish_pdf_leaves_no_english_word(
        rendered: tuple[list[Image.Image], list[Word]]) -> None:
    _, words = rendered
    text = " ".join(w.text for w in words)
    assert not english_words(text), sorted(english_words(text))


def test_origin_chart_has_both_bars(rendered: tuple[list[Image.Image], list[Word]]) -> None:
    pages, words = rendered
    band = _band(pages, _heading(words, "comparación", "por", "origen"), 230)
    mexico, china = _near(band, PALETTE[0]), _near(band, PALETTE[1])
    assert mexico > 1000, mexico  # 74.5 kg bar
    assert 100 < china < mexico, china  # 12.0 kg bar: smaller, but there


def test_origin_table_is_filled(rendered: tuple[list[Image.Image], list[Word]]) -> None:
    pages, words = rendered
    header = _heading(words, "proporción", "de", "los", "comparados")
    after = [w.text for w in words if w.page == header.page and w.top > header.bottom][:20]
    assert after[:4] == ["MX", "3", "74.5", "164"]
    assert "CN" in after and "12.0" in after
    assert _ink(_band(pages, header, 30)) > 300


@pytest.mark.parametrize(
    "heading",
    [("peso", "mensual", "por", "región"), ("aseguramientos:", "tendencia"),
     ("aseguramientos:", "lugares")],
)
def test_charts_are_drawn(
    rendered: tuple[list[Image.Image], list[Word]], heading: tuple[str, ...]
) -> None:
    pages, words = rendered
    band = _band(pages, _heading(words, *heading), 200)
    coloured = _coloured(band)
    assert coloured > 150, (heading, coloured)
    assert _ink(band) > 1000


def test_every_page_carries_its_banner_top_and_bottom_its_number_and_the_date(
        rendered: tuple[list[Image.Image], list[Word]]) -> None:
    """A marked product (docs/assessments.md): the banner (TLP:CLEAR here: the fixture's
    inputs carry no marking) in the top and bottom margins, `page N of M`, the date."""
    pages, words = rendered
    height = pages[0].height * 72 / DPI  # points
    for number in range(len(pages)):
        mine = [w for w in words if w.page == number]
        banners = [w for w in mine if w.text == "TLP:CLEAR"]
        assert any(w.bottom < 20 * 72 / 25.4 for w in banners), f"no top banner, page {number}"
        assert any(w.top > height - 20 * 72 / 25.4 for w in banners), f"no bottom banner, {number}"
        text = " ".join(w.text for w in mine)
        assert f"página {number + 1} de {len(pages)}" in text
        assert "2024-01-02" in text.replace("\u2010", "-").replace("\u2011", "-")


def test_key_judgments_are_on_page_one(rendered: tuple[list[Image.Image], list[Word]]) -> None:
    _, words = rendered
    first = " ".join(w.text for w in words if w.page == 0)
    assert "Juicios clave" in first
    assert re.search(r"Evaluamos con confianza (baja|moderada|alta) que los aseguramientos de "
                     r"fentanilo", first)
