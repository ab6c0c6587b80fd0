"""The suite's economy of documents changes nothing it compares (``once.py``): an
input is made once, and one that differs in any byte is made afresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from adversary.once import Once
from tearline.i18n import translations


def test_a_document_is_made_once_per_input_and_afresh_for_another() -> None:
    made: list[object] = []

    def make(*args: object, **kwargs: object) -> bytes:
        made.append((args, kwargs))
        return repr((len(made), args, kwargs)).encode()

    once = Once(make)
    first = once("<p>world A</p>")
    assert once("<p>world A</p>") == first
    assert once("<p>world A </p>") != first
    series = {"north": [1.0, 2.0]}
    chart = once([date(2025, 1, 1)], series, "t", fmt="png")
    assert once([date(2025, 1, 1)], {"north": [1.0, 2.0]}, "t", fmt="png") == chart
    assert once([date(2025, 1, 1)], {"north": [1.0, 2.0000001]}, "t", fmt="png") != chart
    assert once([date(2025, 1, 1)], series, "t", fmt="svg") != chart
    unpicklable = once(lambda: None)
    assert once(lambda: None) != unpicklable  # made afresh each time
    assert len(made) == 7


def test_a_catalogs_words_are_keyed_by_their_catalog() -> None:
    made: list[str] = []

    def make(title: str, words: Callable[[str], str]) -> bytes:
        made.append(words(title))
        return made[-1].encode()

    once = Once(make)
    title = "{drug}: monthly total and trend"
    assert once(title, translations("es_MX").gettext) == once(title, translations("es_MX").gettext)
    assert once(title, translations("en_US").gettext) == title.encode()
    assert made == ["{drug}: total mensual y tendencia", title]
