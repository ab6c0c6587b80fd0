"""Checking legal bases against the node's agreements, units and vettings.

The rule is pure (``policy/legal_basis.py``); this module loads what it consults and
raises :class:`LegalBasisError` listing every refused basis. It is called where a
marking is set — ingest (``tearline ingest``, per-line markings, mapping files), the
API's create, amend and marking routes, ``tearline mark`` — and by releases. Records
pulled from a peer keep the markings their originator set and are not judged here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import Connection

from tearline.errors import LegalBasisError, Problem, tr
from tearline.model.marking import Marking
from tearline.policy.legal_basis import BasisFacts, marking_problem
from tearline.policy.subject import VettingFacts
from tearline.store import parties


def basis_facts(conn: Connection) -> BasisFacts:
    return BasisFacts.of(parties.agreements(conn), parties.units(conn),
                         VettingFacts.of(parties.vettings(conn)))


def judge(facts: BasisFacts, origin: str, at: datetime) -> Callable[[Marking], str | None]:
    """Why a marking set by agency ``origin`` at ``at`` is refused (``None``: it is not);
    each distinct marking is judged once."""
    seen: dict[Marking, str | None] = {}

    def why(marking: Marking) -> str | None:
        if marking not in seen:
            seen[marking] = marking_problem(marking, origin, facts, at)
        return seen[marking]

    return why


def check_markings(conn: Connection, markings: Iterable[tuple[Marking, str | None]],
                   origin: str, at: datetime) -> None:
    """Refuse, with every reason, markings (each with the field it came from) whose legal
    basis agency ``origin`` may not cite at ``at``."""
    why = judge(basis_facts(conn), origin, at)
    problems = [Problem(reason, column=column)
                for marking, column in markings if (reason := why(marking)) is not None]
    if problems:
        raise LegalBasisError(tr("legal basis refused"), problems)
