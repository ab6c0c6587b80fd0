"""The catalogs kept current from the source: every marked message in both languages."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import write_po

from tearline import i18n
from tearline.i18n.extract import collect, read, update

Key = tuple[str, str | None]


@pytest.fixture(scope="module")
def marked() -> dict[Key, list[str]]:
    return collect()


def _fields(message: str) -> set[str]:
    """The placeholders of a message: ``{name…}`` (str.format) and ``%(name)s`` (Jinja2)."""
    braces = {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}
    return braces | set(re.findall(r"%\((\w+)\)", message))


def test_every_marked_message_has_both_translations(marked: dict[Key, list[str]]) -> None:
    for locale in i18n.SUPPORTED:
        catalog = read(locale)
        assert catalog is not None, locale
        translated = {(m.id, m.context) for m in catalog if m.id and m.string}
        missing = sorted(set(marked) - translated, key=str)
        assert not missing, (
            f"{locale}: marked in the source, not translated — run `python3 dev.py i18n` and "
            f"translate: {[(key, marked[key][0]) for key in missing[:10]]}")


def test_the_catalogs_hold_nothing_the_source_no_longer_marks(
        marked: dict[Key, list[str]], tmp_path: Path) -> None:
    shutil.copytree(i18n.LOCALES_DIR, tmp_path, dirs_exist_ok=True)
    changes = update(locales=tmp_path)
    assert changes == {locale: (0, 0) for locale in i18n.SUPPORTED}, (
        "the catalogs are not current: run `python3 dev.py i18n`")
    for locale in i18n.SUPPORTED:  # and the tool rewrites them byte for byte
        relative = Path(locale, "LC_MESSAGES", "tearline.po")
        assert (tmp_path / relative).read_bytes() == (i18n.LOCALES_DIR / relative).read_bytes()


def test_translations_keep_every_placeholder() -> None:
    catalog = read("es_MX")
    assert catalog is not None
    for message in catalog:
        if message.id and message.string:
            assert _fields(str(message.string)) == _fields(str(message.id)), message.id


SOURCE = {
    "cli/things.py": '''
import typer
app = typer.Typer(help="Things.")

@app.command("do")
def do(n: int = typer.Option(1, help="How many.")) -> None:
    """Do the thing."""
    console.print(_("done {n}").format(n=n))
''',
    "store/fail.py": 'def f():\n    raise NotFound(tr("no thing {id!r}", id=1))\n',
    "web/page.py": 'TITLE = _("a word of the web domain")\nraise NotFound(tr("no page"))\n',
    "reports/templates/doc.html": '<p>{{ _("%(n)s rows", n=3) }}</p>\n',
}


def test_the_tool_collects_each_kind_of_mark_and_keeps_translations(tmp_path: Path) -> None:
    src, locales = tmp_path / "src", tmp_path / "locales"
    for name, text in SOURCE.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    update(src, locales)
    english, spanish = read("en_US", locales), read("es_MX", locales)
    assert english is not None and spanish is not None
    ours = {"Things.", "How many.", "Do the thing.", "done {n}", "no thing {id!r}",
            "%(n)s rows", "no page"}
    plain = {m.id for m in english if m.id and not m.context}
    assert plain == ours  # the web's words are the web domain's; its errors are ours
    assert all(english[m].string == m for m in ours)  # English is the source language
    assert not spanish["done {n}"].string  # waiting for a translator
    assert english.get("fentanyl", context="drug") is not None  # the vocabularies
    spanish["done {n}"].string = "hecho {n}"
    with (locales / "es_MX" / "LC_MESSAGES" / "tearline.po").open("wb") as handle:
        write_po(handle, spanish)
    (src / "store" / "fail.py").unlink()
    assert update(src, locales)["es_MX"] == (0, 1)
    again = read("es_MX", locales)
    assert again is not None
    assert again["done {n}"].string == "hecho {n}" and again.get("no thing {id!r}") is None
