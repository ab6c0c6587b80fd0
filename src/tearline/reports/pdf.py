"""HTML to PDF through WeasyPrint (needs Debian's Pango: libpango-1.0-0, libpangoft2-1.0-0)."""

from __future__ import annotations

from tearline.errors import ConfigError


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Pango libraries are missing
        raise ConfigError(f"WeasyPrint cannot load its system libraries: {exc}") from exc
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
