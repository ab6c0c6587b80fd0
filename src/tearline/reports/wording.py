"""The reports' words, numbers and dates in the reader's language (es-MX or en-US).

:func:`environment` is the Jinja2 environment every report template renders in: the
``tearline`` catalog installed for ``{% trans %}`` and ``_()`` (new-style gettext, so
a value inserted into a sentence is escaped like any other), the vocabularies
(:func:`tearline.i18n.vocabulary.label`) and filters that write numbers and dates in
the locale's format with Babel. Autoescape is on for every template, whatever its
file name: text from data is never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, PackageLoader, StrictUndefined

from tearline import i18n
from tearline.analysis.units import kg_to_lb
from tearline.i18n.messages import content_language, say
from tearline.i18n.vocabulary import label
from tearline.reports.longrun import ALPHA2

#: Parameters whose values are vocabulary (the others are shown as they are).
_PARAMETER_WORDS = {"drug": "drug", "weight": "weight", "period": "period"}
#: The title a report is given unless the caller names one (said in the report's language).
DEFAULT_TITLE = "Drug seizure threat assessment"


def gettext_for(locale: str) -> Callable[[str], str]:
    """The ``gettext`` of the ``tearline`` catalog in ``locale``."""
    return i18n.translations(locale).gettext


def environment(locale: str) -> Environment:
    """The templates of ``tearline.reports`` rendered in ``locale``."""
    env = Environment(
        loader=PackageLoader("tearline.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    percent = _one_decimal(i18n.babel_locale(locale).percent_formats[None].pattern)

    def number(value: float, pattern: str = "#,##0") -> str:
        return format_decimal(value, pattern, locale=locale)

    env.filters.update({
        "kg": lambda v: format_decimal(v, "#,##0.0", locale=locale),
        "lb": lambda v: format_decimal(kg_to_lb(v), "#,##0", locale=locale),
        "number": number,
        "signed": lambda v: format_decimal(v, "+#,##0.0;-#,##0.0", locale=locale),
        "percent": lambda v: format_percent(v, percent, locale=locale),
        "date": lambda d: format_date(d, "long", locale=locale),
        "datetime": lambda t: format_datetime(t, "long", tzinfo=UTC, locale=locale),
    })
    env.globals["label"] = lambda kind, value: label(kind, value, locale)
    env.globals["parameter"] = lambda key, value: _parameter(key, value, locale)
    env.filters["said"] = lambda message: say(message, locale)
    env.filters["unodc_drug"] = lambda name: label("unodc_drug", name, locale)
    env.filters["unodc_country"] = lambda name: label("country", ALPHA2.get(name) or name, locale)
    env.globals["lang"] = content_language(locale)
    return env


def _parameter(key: str, value: object, locale: str) -> str:
    """A parameter's value as a reader reads it: vocabulary in the locale's words, a
    list comma-separated, none as a dash (the JSON keeps the exact values)."""
    if value is None:
        return "—"
    if key in _PARAMETER_WORDS:
        return label(_PARAMETER_WORDS[key], str(value), locale)
    if key == "title" and value == DEFAULT_TITLE:
        return i18n.gettext(DEFAULT_TITLE, locale)
    if isinstance(value, list):
        kind = "country" if key == "origins" else ""
        return ", ".join(label(kind, str(v), locale) for v in value)
    return str(value)


def _one_decimal(pattern: str) -> str:
    """The locale's percent pattern, given one decimal after its last digit."""
    head, zero, tail = pattern.rpartition("0")
    return f"{head}{zero}.0{tail}" if zero and not tail.startswith(".") else pattern

