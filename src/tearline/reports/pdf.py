"""HTML to PDF through WeasyPrint (needs Debian's Pango: libpango-1.0-0, libpangoft2-1.0-0).

The document fetches nothing: its charts are ``data:`` URIs and its style is inline,
so the URL fetcher refuses every other URL (``http:``, ``file:``, …). Text from data
is escaped before it reaches WeasyPrint (``reports/assessment.py``); should a value
ever become markup all the same, it still could not make the node read a local file
into a report or send a request anywhere.
"""

from __future__ import annotations

from typing import Any

from tearline.errors import ConfigError, tr


class RefusedURL(ValueError):
    """A document asked for a resource other than a ``data:`` URI."""


def bundled_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that answers ``data:`` URIs and refuses everything else.

    WeasyPrint catches the refusal, leaves the resource out and renders the rest.
    """
    from weasyprint.urls import URLFetcher

    class BundledOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise RefusedURL(f"refused to fetch {url[:80]!r}: reports use bundled data only")
            return super().fetch(url, headers)

    return BundledOnly(allowed_protocols=("data",), allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Pango libraries are missing
        raise ConfigError(tr(
            "WeasyPrint cannot load its system libraries: {exc}", exc=exc)) from exc
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=bundled_only_fetcher()).write_pdf()
    return pdf
