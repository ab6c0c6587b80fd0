"""The language negotiation and the catalogs' completeness in both languages."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from tearline import i18n


@pytest.mark.parametrize(("preferred", "header", "expected"), [
    (None, None, "en_US"),
    (None, "es-MX,es;q=0.9,en;q=0.8", "es_MX"),
    (None, "es", "es_MX"),
    (None, "fr-FR, en-GB;q=0.5", "en_US"),
    (None, "en;q=0.2, es;q=0.9", "es_MX"),
    (None, "es;q=0, en", "en_US"),
    (None, "de, fr", "en_US"),
    (None, "*", "en_US"),
    (None, "es;q=bogus, en", "en_US"),
    ("es-MX", "en-US", "es_MX"),
    ("fr", "es", "es_MX"),
])
def test_the_language_follows_the_person_then_the_client(
        preferred: str | None, header: str | None, expected: str) -> None:
    assert i18n.negotiate(preferred, header) == expected


def test_the_command_line_reads_the_posix_variables() -> None:
    assert i18n.from_environment({"LANG": "es_MX.UTF-8"}) == "es_MX"
    assert i18n.from_environment({"TEARLINE_LANG": "en", "LANG": "es_MX.UTF-8"}) == "en_US"
    assert i18n.from_environment({"LANG": "C.UTF-8"}) == "en_US"


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_message_has_both_translations(domain: str) -> None:
    catalogs = {}
    for locale in i18n.SUPPORTED:
        path = i18n.catalog_path(locale, domain)
        if path.exists():
            with path.open("rb") as handle:
                catalogs[locale] = read_po(handle, locale=locale, domain=domain)
    if not catalogs:
        pytest.skip(f"no catalog of {domain!r} yet")
    assert set(catalogs) == set(i18n.SUPPORTED), f"{domain}: a language lacks its catalog"
    ids = {locale: {m.id for m in c if m.id} for locale, c in catalogs.items()}
    first, *others = i18n.SUPPORTED
    for other in others:
        assert ids[first] == ids[other], (
            f"{domain}: messages in one language only: {sorted(ids[first] ^ ids[other])[:10]}")
    for locale, catalog in catalogs.items():
        untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert not untranslated, f"{domain}/{locale} lacks: {untranslated[:10]}"
