"""The signed oversight report as PDF and JSON: its marking on every page, page numbers,
Spanish by default and English on request, data never markup."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tearline.oversight.drafts import draft
from tearline.oversight.exchanges import NATURES, Exchange
from tearline.oversight.report import Coverage, build, digest
from tearline.oversight.terms import DEFAULT
from tearline.reports.oversight import render_html, render_json, render_pdf
from tearline.reports.oversight_labels import LABELS, labels
from tearline.store.oversight_reports import marking_of

HOSTILE = "<script>alert(1)</script> & <b>bold</b>"


def document(language: str = "es", n: int = 12) -> dict[str, object]:
    drafts = [draft(Exchange(f"x{i}", ((i, f"{i:064x}"),), "2026-01-05T15:00:00.000000Z",
                             NATURES[i % len(NATURES)], "us.dea", "unit:us.dea.sod",
                             "unit:mx.semar.uie", ("analyst:ana@mx.semar.uie",), "basis", 2,
                             (("Person", 2),)), DEFAULT, "mx", {"subject": HOSTILE})
              for i in range(n)]
    return build("mx.semar", "mx", language, marking_of("mx.semar").to_dict(),
                 Coverage(0, 40, "ab" * 32, "node\n40\nq83=\n\n— node sig\n"),
                 "ana@mx.semar.uie", "2026-01-09T17:00:00.000000Z", drafts)


def pages_text(pdf: bytes, folder: Path) -> list[str]:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install Debian's poppler-utils")
    (folder / "r.pdf").write_bytes(pdf)
    subprocess.run([tool, "-layout", "r.pdf", "r.txt"], cwd=folder, check=True)
    return (folder / "r.txt").read_text().split("\f")[:-1]


def test_every_page_carries_the_marking_and_its_number(tmp_path: Path) -> None:
    pages = pages_text(render_pdf(document()), tmp_path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert text.count("TLP:AMBER // agency:mx.semar // OVERSIGHT") >= 2  # top and foot
        assert f"Página {number} de {len(pages)}" in text
    assert "Informe de contactos e intercambios" in pages[0]
    assert "Recepción de registros" in "".join(pages)


def test_english_on_request_and_labels_in_both_languages() -> None:
    assert "Report of contacts and exchanges" in render_html(document("en"))
    assert "Informe de contactos" in render_html(document("en"), "es")
    for key, texts in LABELS.items():
        assert set(texts) == {"es", "en"} and all(texts.values()), key
    assert set(NATURES) <= set(labels("es"))


def test_text_from_data_is_never_markup() -> None:
    html = render_html(document(n=1))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_the_json_is_the_canonical_signed_document() -> None:
    doc = document(n=3)
    assert json.loads(render_json(doc)) == doc
    assert digest(json.loads(render_json(doc))) == digest(doc)
