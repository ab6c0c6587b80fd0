"""Every word of the web pages is in the ``web`` catalog, translated in both languages;
the vocabularies read as an analyst writes them (fentanilo, metanfetamina, decomiso)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.dates import format_datetime
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from tearline import i18n
from tearline.web import vocab
from tearline.web.render import environment

WEB = Path(vocab.__file__).parent


def extracted() -> set[str]:
    """The messages of the templates and of the web package's Python (its ``_`` calls)."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(WEB), [("templates/**.html", "jinja2"), ("**.py", "python")],
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"_": None, "gettext": None}):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", i18n.SUPPORTED)
def test_every_message_of_the_pages_is_in_the_catalog(locale: str) -> None:
    with i18n.catalog_path(locale, "web").open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain="web")
    known = {m.id: m.string for m in catalog if m.id}
    words = extracted()
    assert len(words) > 100
    assert not sorted(words - set(known)), f"{locale}: not in web.po"
    assert not sorted(set(known) - words), f"{locale}: web.po keeps messages no page uses"
    assert all(known[w] for w in words)


def test_the_vocabularies_read_in_spanish() -> None:
    es = environment("es_MX")
    assert es.filters["drug_name"]("fentanyl") == "fentanilo"
    assert es.filters["drug_name"]("methamphetamine") == "metanfetamina"
    assert es.filters["schema_name"]("Seizure") == "Decomiso"
    assert es.filters["country_name"]("mx") == "México (mx)"
    assert es.filters["number"](1234.5) == "1,234.5"
    en = environment("en_US")
    assert en.filters["drug_name"]("fentanyl") == "fentanyl"
    assert en.filters["schema_name"]("Seizure") == "Seizure"


@pytest.mark.parametrize("locale", i18n.SUPPORTED)
def test_dates_read_as_babel_writes_them(locale: str) -> None:
    """The ``when`` filter (patterns looked up once) writes what Babel's
    ``format_datetime(…, "medium")`` writes, in the reader's language."""
    when = environment(locale).filters["when"]
    for at in (datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
               datetime(2025, 12, 31, 23, 59, 1, tzinfo=timezone(timedelta(hours=-6))),
               datetime(2024, 2, 29, 13, 0, 0)):
        assert when(at) == format_datetime(at, "medium", locale=i18n.babel_locale(locale))
    assert when(None) == ""
    assert environment("es_MX").filters["when"](
        datetime(2026, 3, 4, 17, 6, 7, tzinfo=UTC)) == "4 mar 2026, 5:06:07\u202fp.m."


@pytest.mark.parametrize("locale", i18n.SUPPORTED)
def test_the_pages_text_reads_as_jinja_newstyle_gettext_writes_it(locale: str) -> None:
    """The templates' ``_()`` (one call, texts kept) writes what Jinja's newstyle
    gettext writes: translated, escaped variables, ``%%`` read as ``%``, every time."""
    from jinja2 import Environment

    ours = environment(locale)
    theirs = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    theirs.install_gettext_translations(i18n.translations(locale, "web"),  # type: ignore[attr-defined]
                                        newstyle=True)
    source = ('{{ _("Search") }}|{{ _("Search") }}|{{ _(word) }}|'
              '{{ _("Counted over the best %(n)s matches.", n=n) }}|{{ _("100%%") }}')
    values = {"word": "Record", "n": "<b>250</b>"}
    for _ in range(2):  # the second time, from the texts kept
        assert (ours.from_string(source).render(values)
                == theirs.from_string(source).render(values))
    assert "&lt;b&gt;250&lt;/b&gt;" in ours.from_string(source).render(values)


@pytest.mark.parametrize("locale", i18n.SUPPORTED)
def test_counts_read_as_babel_writes_them(locale: str) -> None:
    """The ``number`` filter (counts written directly) writes what Babel's
    ``format_decimal`` writes, in the reader's language; anything else goes to Babel."""
    number = environment(locale).filters["number"]
    parsed = i18n.babel_locale(locale)
    for n in [*range(0, 1200, 7), *(10 ** k for k in range(13)), 1234567, 2.5, -3]:
        assert number(n) == format_decimal(n, locale=parsed)
