"""The error tree drawn in ``tearline.errors``' docstring is the tree of the code: every
error class tearline defines, under its parent, with its code and its HTTP status on
the API and on the TAXII server."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tearline import errors
from tearline.errors import TearlineError, cli_exit, http_status, taxii_status
from tree_walk import tearline_error_classes

_ROW = re.compile(r"^(?P<lead>[ │├└─]*)(?P<name>\w+)\s+(?P<code>\w+)\s+(?P<http>\d{3})"
                  r"\s+(?P<taxii>\d{3})\s+(?P<exit>\d+)$")


@dataclass(frozen=True)
class Row:
    name: str
    parent: str | None
    code: str
    http: int
    taxii: int
    exit: int


def drawn_tree() -> dict[str, Row]:
    """The rows of the drawing, each with the class above it at one level less."""
    doc = errors.__doc__ or ""
    lines = doc.split("::\n", 1)[1].strip("\n").splitlines()
    assert lines[0].split() == ["class", "code", "HTTP", "TAXII", "exit"], lines[0]
    rows: dict[str, Row] = {}
    stack: list[str] = []
    for line in lines[1:]:
        match = _ROW.match(line.strip())
        assert match, f"not a row of the tree: {line!r}"
        depth = len(match["lead"]) // 4
        del stack[depth:]
        assert len(stack) == depth, f"{match['name']} is drawn below no parent"
        rows[match["name"]] = Row(match["name"], stack[-1] if stack else None, match["code"],
                                  int(match["http"]), int(match["taxii"]), int(match["exit"]))
        stack.append(match["name"])
    return rows


def test_every_error_class_lives_in_errors_and_is_drawn() -> None:
    classes = tearline_error_classes()
    assert {cls.__module__ for cls in classes} == {"tearline.errors"}, [
        f"{cls.__module__}.{cls.__qualname__}" for cls in classes
        if cls.__module__ != "tearline.errors"]
    assert set(drawn_tree()) == {cls.__name__ for cls in classes}


@pytest.mark.parametrize("cls", tearline_error_classes(), ids=lambda cls: cls.__name__)
def test_the_drawing_says_what_the_class_does(cls: type[TearlineError]) -> None:
    row = drawn_tree()[cls.__name__]
    parent = cls.__bases__[0]
    assert row.parent == (None if cls is TearlineError else parent.__name__)
    assert row.code == cls.code
    assert row.http == http_status(cls("x"))
    assert row.taxii == taxii_status(cls("x"))
    assert row.exit == cli_exit(cls("x"))
    assert cls.__doc__, f"{cls.__name__} says what it means in its docstring"


def test_the_taxii_server_departs_from_the_api_only_for_bad_requests() -> None:
    assert taxii_status(errors.ValidationError("x")) == 400
    assert taxii_status(errors.TooLarge("x")) == 413  # its own status beats InputError's
    assert taxii_status(errors.WrongNode("x")) == 400
    assert taxii_status(errors.ProofError("x")) == http_status(errors.ProofError("x")) == 409
    assert taxii_status(errors.NotAcceptable("x")) == http_status(errors.NotAcceptable("x"))
