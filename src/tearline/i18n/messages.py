"""Error messages in the reader's language.

An error is raised with its English message; a message marked with
:func:`tearline.errors.tr` keeps its template and values, so an edge (the API's error
envelope, the command line) can say it in the reader's language. A message that was
not marked is looked up whole (a fixed sentence translates as it is) and otherwise
stays English: a reader always gets the message, never an empty one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tearline.errors import InputError, Listed, Problem, TearlineError, Text, with_problems
from tearline.i18n import gettext


def say(message: str, locale: str) -> str:
    """``message`` in ``locale``: its template translated, then its values inserted —
    each value that is itself marked (a :class:`Text`, or the :class:`Listed` reasons
    of a decision) said in ``locale`` too, however deep."""
    if isinstance(message, Listed):
        return "; ".join(say(part, locale) for part in message.parts)
    if isinstance(message, Text):
        template = gettext(message.template, locale)
        values = {name: say(value, locale) if isinstance(value, Text | Listed) else value
                  for name, value in message.values.items()}
        try:
            return template.format(**values) if values else template
        except (KeyError, IndexError, ValueError):  # a translation naming a wrong field
            return str.__str__(message)
    return gettext(message, locale)


def say_all(messages: Iterable[str], locale: str) -> list[str]:
    """Each of ``messages`` (a decision's reasons) in ``locale``."""
    return [say(message, locale) for message in messages]


def _problem(problem: Problem, locale: str) -> Problem:
    return replace(problem, message=say(problem.message, locale))


def localize(error: TearlineError, locale: str) -> str:
    """The message of ``error`` in ``locale``, its problems (if any) each translated."""
    if isinstance(error, InputError):
        return with_problems(say(error.summary, locale),
                             [_problem(p, locale) for p in error.problems],
                             gettext("… and {n} more", locale))
    return say(error.message, locale)


def content_language(locale: str) -> str:
    """The ``Content-Language`` value of ``locale`` (BCP 47: ``es-MX``)."""
    return locale.replace("_", "-")
