"""The two languages tearline speaks, es-MX and en-US, and the catalogs behind them.

Everything a person reads (web pages, CLI messages and help, API error messages,
reports) takes its words from Babel message catalogs kept as ``.po`` files in
``i18n/locales/<locale>/LC_MESSAGES/<domain>.po``; one catalog (domain) per edge that
owns its words: ``tearline`` (CLI, errors, reports, vocabularies) and ``web`` (the
web application's templates). The ``.po`` files are compiled in memory on first use,
so there is no build step and no compiled ``.mo`` file to drift from its source.

The language follows the person's own preference, then what the client asks for
(``Accept-Language``, or ``LANG`` for the CLI), then the default; a request for a
language tearline does not speak falls back the same way, never to an error.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.core import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

#: The locales tearline speaks, in Babel's spelling (``language_TERRITORY``).
SUPPORTED: tuple[str, ...] = ("es_MX", "en_US")
#: Used when neither the person nor the client names a language tearline speaks.
DEFAULT = "en_US"
#: The message catalogs: one per edge that owns its words.
DOMAINS: tuple[str, ...] = ("tearline", "web")

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def catalog_path(locale: str, domain: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def _match(tag: str) -> str | None:
    """``es-mx`` → ``es_MX``; ``es`` → ``es_MX``; ``en-GB`` → ``en_US``; else None."""
    parts = tag.strip().replace("-", "_").split("_")
    if not parts[0]:
        return None
    language = parts[0].lower()
    exact = f"{language}_{parts[1].upper()}" if len(parts) > 1 else None
    if exact in SUPPORTED:
        return exact
    return next((s for s in SUPPORTED if s.split("_")[0] == language), None)


def _weighted(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header, best first (RFC 9110 §12.5.4)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate(preferred: str | None = None, accept_language: str | None = None) -> str:
    """The locale to speak: the person's preference, then the client's, then the default."""
    if preferred:
        found = _match(preferred)
        if found:
            return found
    for tag in _weighted(accept_language or ""):
        found = _match(tag)
        if found:
            return found
    return DEFAULT


def from_environment(environ: dict[str, str]) -> str:
    """The CLI's locale: ``TEARLINE_LANG``, then POSIX ``LC_ALL``/``LC_MESSAGES``/``LANG``."""
    for name in ("TEARLINE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").split(".")[0]
        if value and value not in ("C", "POSIX"):
            return negotiate(value)
    return DEFAULT


@cache
def translations(locale: str, domain: str = "tearline") -> Translations:
    """The compiled catalog of ``domain`` in ``locale`` (an empty one if it has none yet)."""
    path = catalog_path(locale, domain)
    if not path.exists():
        return Translations(None, domain=domain)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def gettext(message: str, locale: str, domain: str = "tearline") -> str:
    return translations(locale, domain).gettext(message)


def babel_locale(locale: str) -> Locale:
    """The Babel locale, for dates and numbers in the locale's format."""
    return Locale.parse(locale)
