"""Selectors taken from stored records: what an agency may register for its targets.

The values come from the record's statements, already normalized by ingest; they go
through the same selector functions as typed values, so a record's phone and the
same phone typed by a partner give one token. Values that are no valid selector
(a plate without a country, a VIN with a wrong check digit) are reported, not
guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

from tearline.deconflict import selectors as sel
from tearline.deconflict.identifiers import curp_problem, rfc_problem, vin_problem
from tearline.errors import Problem, SelectorError, tr
from tearline.model.record import Record


def _first(record: Record, *props: str) -> str | None:
    for prop in props:
        values = record.values(prop)
        if values:
            return values[0]
    return None


def selectors_of(record: Record) -> tuple[tuple[sel.Selector, ...], tuple[Problem, ...]]:
    """The selectors a record holds, and why any of its identifying values is none."""
    found: set[sel.Selector] = set()
    problems: list[Problem] = []
    country = _first(record, "country", "nationality", "jurisdiction")

    def attempt(prop: str, make: Callable[..., sel.Selector], *args: str | None) -> None:
        try:
            found.add(make(*args))
        except SelectorError as exc:
            problems.append(Problem(exc.message, file=record.id, column=prop))

    schema = record.schema
    if schema == "Phone":
        for value in record.values("number"):
            attempt("number", sel.phone, value, country)
    if schema == "Person":
        born = [d for d in record.values("birthDate") if len(d) == 10]
        for name in record.values("name"):
            for day in born:
                attempt("name", sel.person, name, day)
        for value in record.values("idNumber"):
            if curp_problem(sel.compact(value)) is None:
                attempt("idNumber", sel.curp, value)
        for value in record.values("taxNumber"):
            if rfc_problem(sel.compact(value)) is None:
                attempt("taxNumber", sel.rfc, value)
        for value in record.values("passportNumber"):
            if country is not None:
                attempt("passportNumber", sel.passport, value, country)
    if schema == "Vehicle":
        for value in record.values("registrationNumber"):
            if vin_problem(sel.compact(value)) is None:
                attempt("registrationNumber", sel.vin, value)
            elif country is not None:
                attempt("registrationNumber", sel.plate, value, country)
            else:
                problems.append(Problem(tr("a plate needs the vehicle's country"),
                                        file=record.id, column="registrationNumber"))
    if schema == "Vessel":
        for value in record.values("imoNumber"):
            attempt("imoNumber", sel.imo, value)
        for value in record.values("mmsi"):
            attempt("mmsi", sel.mmsi, value)
    if schema == "Airplane":
        for value in record.values("registrationNumber"):
            attempt("registrationNumber", sel.aircraft, value)
    if schema == "Address" and country is not None:
        for value in record.values("full"):
            attempt("full", sel.address, value, country)
    return tuple(sorted(found)), tuple(problems)
