"""Templates in the reader's language: Jinja2 with the i18n extension over the ``web``
catalog, and Babel for dates, numbers and country names in the locale's format.

One environment per locale, built once: its ``gettext`` is that locale's catalog, so a
template never asks which language it speaks. Autoescape is on for every template:
a value one party wrote is never markup in another's page.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import get_date_format, get_datetime_format, get_time_format
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from tearline.errors import InputError, TearlineError
from tearline.i18n import babel_locale, translations
from tearline.i18n.messages import say
from tearline.i18n.vocabulary import label
from tearline.web import vocab

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The language names the switch offers, each in its own language.
LANGUAGES = (("es_MX", "Español"), ("en_US", "English"))


def refine(chosen: dict[str, str], q: str, name: str, value: str) -> str:
    """The query string of the search with ``name`` set to ``value``."""
    query = {k: v for k, v in chosen.items() if v}
    if q:
        query["q"] = q
    query[name] = value
    return urlencode(sorted(query.items()))


def _country(code: str, locale: str) -> str:
    name = babel_locale(locale).territories.get(code.upper())
    return f"{name} ({code})" if name else code


def date_time(parsed: Locale) -> Any:
    """Babel's ``format_datetime(at, "medium")`` in ``parsed``'s format, its patterns
    looked up once: Babel looks up and parses them again for every value (a search
    page formats one date per result)."""
    joined = str(get_datetime_format("medium", locale=parsed)).replace("'", "")
    day, hour = get_date_format("medium", locale=parsed), get_time_format("medium", locale=parsed)

    def when(at: Any) -> str:
        if not isinstance(at, datetime):
            return ""
        return joined.replace("{0}", hour.apply(at, parsed)).replace("{1}", day.apply(at, parsed))
    return when


#: Translated texts kept per locale at most (a template's ``_()`` takes literal texts).
KEPT_TEXTS = 4096


def translator(gettext: Any) -> Any:
    """The templates' ``_()``: what Jinja's newstyle gettext gives (the text translated,
    as markup under autoescape, formatted with its escaped variables, ``%`` always
    applied), in one call instead of three nested ``Context.call``s per text, and a
    text without variables translated once (a page says dozens of them)."""
    kept: dict[tuple[str, bool], str] = {}

    @pass_context
    def translate(context: Context, message: str, **variables: Any) -> str:
        escaping = bool(context.eval_ctx.autoescape)
        if not variables:
            found = kept.get((message, escaping))
            if found is not None:
                return found
        said: Any = gettext(message)
        if escaping:
            said = Markup(said)
        said = said % variables
        if not variables and len(kept) < KEPT_TEXTS:
            kept[(message, escaping)] = said
        return said  # type: ignore[no-any-return]

    return translate


def number(parsed: Locale) -> Any:
    """Babel's ``format_decimal(n)`` in ``parsed``'s format; a count (an int, not
    negative) written directly when the locale groups by threes (``#,##0.###``, as
    es-MX and en-US do), far cheaper than Babel's general formatter (a search page
    writes dozens of facet counts; docs/benchmarks.md, "Two server processes")."""
    group = parsed.number_symbols["latn"]["group"]
    pattern = parsed.decimal_formats[None]
    threes = pattern.grouping == (3, 3) and not pattern.prefix[0] and not pattern.suffix[0]

    def write(n: Any) -> str:
        if threes and type(n) is int and n >= 0:
            return f"{n:,}".replace(",", group)
        return str(format_decimal(n, locale=parsed))
    return write


def _summary(error: TearlineError) -> str:
    """An error's message without its problems (the page lists those one by one)."""
    return error.summary if isinstance(error, InputError) else error.message


@cache
def environment(locale: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)  # templates ship with the wheel: never re-read
    catalog = translations(locale, "web")
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return str(catalog.gettext(message))

    env.globals["_"] = translator(catalog.gettext)

    parsed = babel_locale(locale)  # parsed once: Babel parses a locale name on every call
    env.filters["when"] = date_time(parsed)
    env.filters["number"] = number(parsed)
    env.filters["schema_name"] = lambda s: gettext(vocab.SCHEMAS.get(s) or str(s))
    env.filters["drug_name"] = lambda d: gettext(vocab.DRUGS[d]) if d in vocab.DRUGS else d
    env.filters["country_name"] = lambda c: _country(c, locale)
    env.filters["facet_name"] = lambda f: gettext(vocab.FACETS.get(f) or str(f))
    env.filters["link_kind"] = lambda k: gettext(vocab.LINKS[k]) if k in vocab.LINKS else k
    # the store's and the policy's words (error messages, a decision's reasons) are the
    # ``tearline`` catalog's: said here, nested reasons included
    env.filters["said"] = lambda message: say(message, locale)
    env.filters["error_summary"] = lambda error: say(_summary(error), locale)
    env.globals["term"] = lambda kind, value: label(kind, value, locale)  # conveyance…
    env.globals["refine"] = refine
    env.globals["languages"] = LANGUAGES
    env.globals["html_lang"] = locale.replace("_", "-")
    env.globals["locale"] = locale
    return env


def render(locale: str, name: str, **context: Any) -> str:
    return environment(locale).get_template(name).render(**context)
