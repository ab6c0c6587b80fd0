"""The PDF renderer fetches nothing but the document's own ``data:`` URIs."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from PIL import Image

from tearline.reports.pdf import RefusedURL, bundled_only_fetcher, html_to_pdf


def _png(path: Path) -> Path:
    Image.new("RGB", (8, 8), (200, 30, 30)).save(path)
    return path


def _page(src: str) -> str:
    return f'<!DOCTYPE html><html><body><p>x</p><img src="{src}"></body></html>'


def test_a_data_uri_is_drawn(tmp_path: Path) -> None:
    data = base64.b64encode(_png(tmp_path / "a.png").read_bytes()).decode("ascii")
    assert b"/Image" in html_to_pdf(_page(f"data:image/png;base64,{data}"))


def test_a_local_file_is_not_read_into_the_report(tmp_path: Path) -> None:
    png = _png(tmp_path / "secret.png")
    pdf = html_to_pdf(_page(png.as_uri()))
    assert pdf.startswith(b"%PDF") and b"/Image" not in pdf


@pytest.mark.parametrize("url", ["file:///etc/hostname", "http://127.0.0.1:9/x",
                                 "https://127.0.0.1:9/x", "ftp://127.0.0.1:9/x",
                                 "FILE:///etc/hostname"])
def test_the_fetcher_refuses_every_scheme_but_data(url: str) -> None:
    with pytest.raises(RefusedURL):
        bundled_only_fetcher().fetch(url)
    assert bundled_only_fetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"
