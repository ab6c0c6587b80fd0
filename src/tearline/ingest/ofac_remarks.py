"""The Remarks column of an OFAC SDN row, read fact by fact.

Remarks are ``;``-separated facts ending with a period: ``DOB 27 Sep 1961; alt. DOB
21 Sep 1961; POB Culiacan, Sinaloa, Mexico; nationality Mexico; a.k.a. 'EL
BARBAS'; Linked To: BELTRAN LEYVA ORGANIZATION.`` Each fact becomes a
:class:`Fact` — a FollowTheMoney property name and a raw value that the entity
builder cleans with the property's type — or a ``Linked To`` name, resolved later
against the whole file. Facts this module does not know stay only in the entity's
``notes`` (the full Remarks text is always kept there), so nothing is lost.

Rules, with their reasons:

- **Weak aliases.** Every ``a.k.a. '…'`` in the Remarks is a *weak* alias
  (``weakAlias``). This is OFAC's own convention: in the CSV files the strong
  aliases are in ``alt.csv`` and the weak ones — nicknames, noms de guerre such as
  ``'EL BARBAS'``, common acronyms — are quoted in the Remarks (OFAC FAQ 122–123).
  ``f.k.a. '…'`` is a ``previousName``; ``n.k.a. '…'`` an ``alias``.
- **Truncation.** OFAC cuts Remarks at 1,000 characters, often in the middle of a
  fact. A Remarks text that does not end with a period has its last fact dropped
  with a warning: a cut-off passport number or name would be a wrong value, which
  is worse than a missing one. A quoted alias without its closing quote is dropped
  the same way.
- **Identifiers** lose OFAC's decorations (``No.``, ``#``, the issuing country in
  parentheses, ``issued …``/``expires …``): ``Passport G04809091 (Mexico)`` →
  ``passportNumber`` ``G04809091``. CURP and cédula are personal identity numbers
  (``idNumber``); RFC, NIT, RUC, RIF, CUIT are tax numbers (``taxNumber``).
- **Dates** follow :mod:`tearline.ingest.ofac_dates` (circa, ranges).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tearline.ingest.ofac_dates import DateFormatError, parse_birth_dates

#: Identifier facts: the label OFAC writes → the FollowTheMoney property. Longer
#: labels are tried first, so ``Diplomatic Passport`` wins over ``Passport``.
IDENTIFIERS: dict[str, str] = {
    "C.U.R.P.": "idNumber",
    "R.F.C.": "taxNumber",
    "Cedula No.": "idNumber",
    "Passport": "passportNumber",
    "Diplomatic Passport": "passportNumber",
    "NIT #": "taxNumber",
    "RUC #": "taxNumber",
    "RIF #": "taxNumber",
    "C.U.I.T.": "taxNumber",
    "Tax ID No.": "taxNumber",
    "National ID No.": "idNumber",
    "D.N.I.": "idNumber",
    "C.U.I.": "idNumber",
    "Credencial electoral": "idNumber",
    "I.F.E.": "idNumber",
    "Identification Number": "idNumber",
    "Personal ID Card": "idNumber",
    "Driver's License No.": "idNumber",
    "Cartilla de Servicio Militar Nacional": "idNumber",
    "SSN": "socialSecurityNumber",
    "Registration ID": "registrationNumber",
    "Registration Number": "registrationNumber",
    "Folio Mercantil No.": "registrationNumber",
    "Matricula Mercantil No": "registrationNumber",
    "Company Number": "registrationNumber",
    "Business Registration Document #": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Certificate of Incorporation Number": "registrationNumber",
    "Chamber of Commerce Number": "registrationNumber",
    "C.R. No.": "registrationNumber",
    "Unified Social Credit Code (USCC)": "uscCode",
    "Legal Entity Number": "leiCode",
    "D-U-N-S Number": "dunsCode",
    "US FEIN": "taxNumber",
    "Vessel Registration Identification IMO": "imoNumber",
    "MMSI": "mmsi",
    "Email Address": "email",
    "Website": "website",
    "Phone Number": "phone",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
    "Aircraft Model": "model",
    "Organization Type:": "sector",
    "Former Vessel Flag": "pastFlags",
}

#: Facts whose value is a date: the label → the FollowTheMoney property.
DATES: dict[str, str] = {
    "DOB": "birthDate",
    "Organization Established Date": "incorporationDate",
    "Aircraft Manufacture Date": "buildDate",
    "Vessel Year of Build": "buildDate",
}

#: Facts whose value is kept as written: the label → the FollowTheMoney property.
PLAIN: dict[str, str] = {
    "POB": "birthPlace",
    "nationality": "nationality",
    "citizen": "citizenship",
    "Gender": "gender",
}

_ALIAS_KINDS = {"a.k.a.": "weakAlias", "f.k.a.": "previousName", "n.k.a.": "alias"}
_ALIAS = re.compile(r"^([afn]\.k\.a\.),?\s*(.*)$", re.IGNORECASE)
_LINKED = re.compile(r"^Linked To:\s*(.+)$", re.IGNORECASE)
_ALT = re.compile(r"^alt\.\s+", re.IGNORECASE)
_ID_TAIL = re.compile(r"(\s+(\(|issued\b|expires\b)|,\s).*$", re.IGNORECASE)
_ID_LEAD = re.compile(r"^(?:(?:No\.|No(?=\s)|#|Number(?=\s)|:)\s*)+", re.IGNORECASE)
_KINDS: dict[str, tuple[str, str]] = {
    **{label: (prop, "id") for label, prop in IDENTIFIERS.items()},
    **{label: (prop, "date") for label, prop in DATES.items()},
    **{label: (prop, "plain") for label, prop in PLAIN.items()},
}
# One alternation, longest label first; a label ending in a letter must be
# followed by a space or the end (``SSN`` is not the start of ``SSNX``).
_LABEL = re.compile(
    "^("
    + "|".join(
        re.escape(label) + (r"(?=\s|$)" if label[-1].isalnum() else "")
        for label in sorted(_KINDS, key=len, reverse=True)
    )
    + ")(.*)$"
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One property value read from the Remarks, not yet cleaned by its type."""

    prop: str
    value: str
    source: str


@dataclass(frozen=True, slots=True)
class Remarks:
    """Everything read from one Remarks text."""

    facts: tuple[Fact, ...] = ()
    links: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()


@dataclass(slots=True)
class _Collector:
    facts: list[Fact] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)


def split_facts(text: str) -> tuple[list[str], bool]:
    """The facts of a Remarks text, and whether the last one may be cut off."""
    text = text.strip()
    if not text:
        return [], False
    complete = text.endswith(".")
    if complete:
        text = text[:-1]
    facts = [part.strip() for part in text.split(";")]
    return [fact for fact in facts if fact], not complete


def _identifier(text: str) -> str:
    text = _ID_LEAD.sub("", text.strip())
    return _ID_TAIL.sub("", text).strip().rstrip(".").strip()


def _alias(kind: str, rest: str, source: str, out: _Collector) -> None:
    rest = rest.strip()
    if rest.startswith("'"):
        end = rest.rfind("'")
        if end <= 0:
            out.warnings.append(f"alias without closing quote, ignored: {source!r}")
            return
        rest = rest[1:end]
    name = rest.strip()
    if name:
        out.facts.append(Fact(_ALIAS_KINDS[kind.lower()], name, source))


def _labelled(fact: str, out: _Collector) -> bool:
    match = _LABEL.match(fact)
    if match is None:
        return False
    prop, kind = _KINDS[match.group(1)]
    rest = match.group(2).strip()
    if not rest:
        out.warnings.append(f"fact without a value, ignored: {fact!r}")
    elif kind == "date":
        try:
            out.facts.extend(Fact(prop, value, fact) for value in parse_birth_dates(rest))
        except DateFormatError as exc:
            out.warnings.append(f"unreadable date in {fact!r}: {exc}")
    elif kind == "id":
        value = _identifier(rest)
        if value:
            out.facts.append(Fact(prop, value, fact))
    else:
        out.facts.append(Fact(prop, rest.rstrip(".").strip(), fact))
    return True


def _one(fact: str, out: _Collector) -> None:
    body = _ALT.sub("", fact)
    alias = _ALIAS.match(body)
    if alias is not None:
        _alias(alias.group(1), alias.group(2), fact, out)
        return
    linked = _LINKED.match(body)
    if linked is not None:
        out.links.append(linked.group(1).strip())
        return
    if not _labelled(body, out):
        out.unparsed.append(fact)


def parse_remarks(text: str) -> Remarks:
    """Read one Remarks text (``-0-`` already turned into the empty string)."""
    facts, maybe_cut = split_facts(text)
    out = _Collector()
    if maybe_cut and facts:
        last = facts.pop()
        out.warnings.append(f"remarks cut off (no final period); last fact ignored: {last!r}")
    for fact in facts:
        _one(fact, out)
    return Remarks(
        facts=tuple(out.facts),
        links=tuple(out.links),
        warnings=tuple(out.warnings),
        unparsed=tuple(out.unparsed),
    )
