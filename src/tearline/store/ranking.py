"""How search results are ranked: by how well what the subject sees matches the words.

Every result holds each word of the query (as the start of a token of one of its visible
names, aliases or identifiers: ``store/tokens.py``). Among them, a result ranks higher

1. when one visible name, alias or identifier is **exactly** the query's words (in any
   order, up to case, accents and punctuation): ``ovidio guzman lopez`` finds the
   person of that name before the ones whose names only contain those words;
2. then by how many words match a **whole** token rather than its start: ``garcia``
   ranks *Garcia Luna* before *Garciaparra*;
3. then by id, so the order is total and every page is the same for the same store.

The rank is one number, ``exact × (MAX_WORDS + 1) + whole words``, computed in SQL over
the subject's visible statements only (the same policy predicate as the match), so a
hidden alias can neither find a record nor move it: it ranks as if the alias did not
exist. :func:`rank_of` computes the same number from a tear-line record, in Python,
for the position a next page starts after (tests check that both agree).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, select

from tearline.model.record import Record
from tearline.model.schema import get_model
from tearline.store import tables as t
from tearline.store.tokens import MAX_EXACT, exact_key, tokens_for
from tearline.store.visibility import Predicates

MAX_WORDS = MAX_EXACT
#: Where a search's first page starts: above every rank.
TOP = MAX_WORDS * (MAX_WORDS + 2)

# Aliases (each used at one nesting level, in the rank of a candidate record).
_WT = [t.tokens.alias(f"rw{n}") for n in range(MAX_WORDS)]
_WS = [t.statements.alias(f"rws{n}") for n in range(MAX_WORDS)]
_ES = t.statements.alias("res")
_EK = t.tokens.alias("rek")


def _word(n: int) -> Any:
    return bindparam(f"w{n}", type_=t.tokens.c.token.type)


def probe(query: Any, dialect: str) -> ColumnElement[bool]:
    """``EXISTS (query)``, kept a test per record on PostgreSQL (``OFFSET 0``): turned
    into a join, the planner matched every candidate against every statement."""
    return (query.offset(0) if dialect == "postgresql" else query).exists()  # type: ignore[no-any-return]


def exact(vis: Predicates, r: Any, dialect: str = "") -> ColumnElement[bool]:
    """A visible statement of ``r`` whose tokens are exactly the query's words: one
    lookup of the words' exact key (``store/tokens.py``) among ``r``'s tokens."""
    k, s = _EK, _ES
    return probe(select(k.c.entity_id).where(
        k.c.token == bindparam("exact", type_=t.tokens.c.token.type),
        k.c.entity_id == r.c.id, s.c.id == k.c.statement_id, s.c.entity_id == r.c.id,
        vis.portion(s, r)).correlate_except(k, s), dialect)


def whole(vis: Predicates, r: Any, n: int, dialect: str = "") -> ColumnElement[bool]:
    """Word ``n`` is a whole token of a visible statement of ``r``."""
    k, s = _WT[n], _WS[n]
    return probe(select(k.c.entity_id).where(
        k.c.entity_id == r.c.id, k.c.token == _word(n), s.c.id == k.c.statement_id,
        s.c.entity_id == r.c.id, vis.portion(s, r)).correlate_except(k, s), dialect)


def rank(vis: Predicates, r: Any, words: int) -> ColumnElement[int]:
    """The rank of candidate record ``r`` for a query of ``words`` words (see above)."""
    total: ColumnElement[int] = case((exact(vis, r), MAX_WORDS + 1), else_=0)
    for n in range(words):
        total = total + case((whole(vis, r, n), 1), else_=0)
    return total


def rank_params(words: list[str]) -> dict[str, Any]:
    """The bound values the rank needs beyond the words themselves (``w0``, ``w1``…)."""
    return {"exact": exact_key(words)}


def rank_of(record: Record, words: list[str]) -> int:
    """The rank of tear-line ``record`` (what the subject is shown) for ``words``: the
    number the SQL computes, from the same tokens (``store/tokens.py``)."""
    schema = get_model().get(record.schema)
    held: list[set[str]] = []
    for st in record.statements:
        prop = schema.get(st.prop) if schema is not None else None
        if prop is not None:
            held.append(tokens_for(prop.type.name, st.value))
    every = set().union(*held) if held else set()
    wanted = set(words)
    is_exact = any(tokens == wanted for tokens in held)
    return (MAX_WORDS + 1) * is_exact + sum(1 for w in words if w in every)
