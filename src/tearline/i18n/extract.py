"""Keeping the ``tearline`` catalogs current: what the source marks, in both ``.po`` files.

Messages are collected from the source with Babel (``python3 dev.py i18n`` runs
:func:`update`):

- Python: calls of ``_``, ``N_``, ``gettext``, ``tr`` (error messages,
  :func:`tearline.errors.tr`) and ``pgettext``, anywhere under ``src/tearline`` except
  the web application's own package (its words are the ``web`` domain's) — where only
  ``tr`` is collected: an error the web raises is said like any other error;
- the command line's help: every literal ``help="…"`` under ``cli/`` and the docstring
  of every command and callback — Typer shows them as help, and
  :func:`tearline.cli.language.localize_help` translates them by the same text;
- the reports' Jinja2 templates (``{% trans %}`` blocks and ``_()`` calls);
- the vocabularies (:mod:`tearline.i18n.vocabulary`), each label under its kind.

:func:`update` then rewrites each locale's catalog: every collected message, with the
translation it already had; en-US is the source language, so its new messages are
their own translation, and es-MX's new ones are left empty for a translator — the
completeness test (``tests/i18n/test_i18n.py``) fails until they are filled in.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract

from tearline.i18n import DEFAULT, LOCALES_DIR, SUPPORTED, vocabulary

SRC = Path(__file__).resolve().parents[1]
DOMAIN = "tearline"
#: The marking functions and where their message is (Babel's keyword specification).
KEYWORDS = {**{name: DEFAULT_KEYWORDS[name] for name in ("_", "N_", "gettext", "pgettext")},
            "tr": None}
#: Packages whose words belong to another domain (but for their errors' ``tr``).
ELSEWHERE = ("web",)
ERRORS_ONLY = {"tr": None}
#: A fixed date in the catalogs' headers, so that running the tool twice changes nothing.
STAMP = datetime(2026, 1, 1, tzinfo=UTC)

Found = tuple[str, str | None, str]  # (message, context, where)


def _python(path: Path, root: Path,
            keywords: Mapping[str, Any] | None = None) -> Iterator[Found]:
    with path.open("rb") as handle:
        for lineno, message, _comments, context in extract(
                "python", handle, keywords=keywords or KEYWORDS, comment_tags=()):
            if isinstance(message, str) and message:
                yield message, context, f"{path.relative_to(root)}:{lineno}"


def _is_command_decorator(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("command", "callback"))


def _help_texts(path: Path, root: Path) -> Iterator[Found]:
    """Typer's help: ``help=`` literals, and the docstrings of commands and callbacks."""
    where = path.relative_to(root)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            whole = isinstance(node.func, ast.Attribute) and node.func.attr in (
                "command", "callback", "add_typer") or (
                isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Typer")
            for keyword in node.keywords:
                value = keyword.value
                if (keyword.arg == "help" and isinstance(value, ast.Constant)
                        and isinstance(value.value, str) and value.value):
                    # Typer dedents a command's help; an option's is shown as written
                    text = inspect.cleandoc(value.value) if whole else value.value
                    yield text, None, f"{where}:{node.lineno}"
        elif isinstance(node, ast.FunctionDef) and any(
                _is_command_decorator(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield doc, None, f"{where}:{node.lineno}"


def _templates(folder: Path, root: Path) -> Iterator[Found]:
    for path in sorted(folder.glob("*.html")):
        with path.open("rb") as handle:
            for lineno, _func, found, _comments in babel_extract(
                    handle, ("_", "gettext"), [], {"trimmed": "true"}):
                # ``_("%(n)s events", n=…)`` comes as ("%(n)s events", None): the message
                # and a slot per keyword
                message = found[0] if isinstance(found, tuple) else found
                if isinstance(message, str) and message:
                    yield message, None, f"{path.relative_to(root)}:{lineno}"


def collect(src: Path = SRC) -> dict[tuple[str, str | None], list[str]]:
    """Every message the source marks: (message, context) → where it is marked."""
    found: dict[tuple[str, str | None], list[str]] = {}

    def add(items: Iterator[Found]) -> None:
        for message, context, where in items:
            found.setdefault((message, context), []).append(where)

    for path in sorted(src.rglob("*.py")):
        if path.relative_to(src).parts[0] not in ELSEWHERE:
            add(_python(path, src))
        else:
            add(_python(path, src, ERRORS_ONLY))
    for path in sorted((src / "cli").glob("*.py")):
        add(_help_texts(path, src))
    add(_templates(src / "reports" / "templates", src))
    add((english, kind, "i18n/vocabulary.py") for kind, english in vocabulary.entries())
    return found


def _path(locales: Path, locale: str) -> Path:
    return locales / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(locale: str, locales: Path = LOCALES_DIR) -> Catalog | None:
    """The ``tearline`` catalog of ``locale`` as stored, or None if there is none."""
    path = _path(locales, locale)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def update(src: Path = SRC, locales: Path = LOCALES_DIR) -> dict[str, tuple[int, int]]:
    """Rewrite both catalogs from the source: locale → (messages added, removed)."""
    found = collect(src)
    changes: dict[str, tuple[int, int]] = {}
    for locale in SUPPORTED:
        old = read(locale, locales)
        known = {(m.id, m.context): m.string for m in old or () if m.id}
        catalog = Catalog(locale=locale, domain=DOMAIN, project="tearline", version="",
                          creation_date=STAMP, revision_date=STAMP, fuzzy=False,
                          language_team="tearline", last_translator="tearline")
        for (message, context) in found:
            string = known.get((message, context)) or (message if locale == DEFAULT else "")
            catalog.add(message, string, context=context)
        path = _path(locales, locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=96, no_location=True, sort_output=True)
        changes[locale] = (len(set(found) - set(known)), len(set(known) - set(found)))
    return changes
