"""The top tiers of a ranked search, each read in record id order and cut after a page.

A ranked page (``store/ranking.py``) lists the best ranks first, and within a rank the
lowest ids. The two best ranks have an index to walk in exactly that order, with the
``tokens`` table keyed ``(token, entity_id, statement_id)`` (migration 0031):

* **exact** (rank ``MAX_WORDS + 1 + words``): a visible statement whose tokens are the
  query's words. Walked: the rows of the words' exact key (``store/tokens.py``).
* **whole** (rank ``words``): not exact, but every word is a whole token of a visible
  statement. Walked: the rows of the rarest word as a whole token.

Each tier's statement walks its token's rows from the position on, keeps a record once
(the row of its lowest statement id stands for it), tests the policy and the tier's
condition on the record — over ALL its visible statements, not the walked row's, so a
hidden statement can neither add a record nor move it — and stops after a page. A
common word therefore costs a page's worth of rows, not its number of records.

Existence (``store/existence.py``) is tested only for relationships. Either tier's
condition finds a visible statement holding the words' tokens, and tokens are made
only of names and identifiers (``store/tokens.py``), never of a reference: so a record
of either tier that is not a relationship has a visible value of its own, stands
alone, and exists once its own marking is visible (tested first): its existence test
would only repeat that, for every record walked.

What the two tiers leave of the page is read by the query that ranks every candidate
(``store/search.py``), from the rank below them.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ColumnElement, String, and_, bindparam, not_, or_, select

from tearline.store import filters, ranking
from tearline.store import tables as t
from tearline.store.existence import not_edge
from tearline.store.read_query import _R, _existing
from tearline.store.visibility import Predicates

Tier = Literal["exact", "whole"]

_D = t.tokens.alias("dr")  # the rows walked
_DD = t.tokens.alias("dd")  # an earlier row of the same record and token


def tier_rank(tier: Tier, words: int) -> int:
    """The rank every record of ``tier`` has for a query of ``words`` words."""
    return ranking.MAX_WORDS + 1 + words if tier == "exact" else words


def _condition(vis: Predicates, tier: Tier, words: int, dialect: str) -> ColumnElement[bool]:
    exact = ranking.exact(vis, _R, dialect)
    if tier == "exact":
        return exact
    return and_(not_(exact), *(ranking.whole(vis, _R, n, dialect) for n in range(words)))


def tier_query(vis: Predicates, tier: Tier, words: int, schema: bool, limit: int,
               filtered: tuple[str, ...], dialect: str = "") -> Any:
    """Ids of the records of ``tier`` after the id bound as ``after``, in id order, at
    most ``limit``; the walked token is bound as ``drive`` (``dialect``: what
    :func:`~tearline.store.prepared.prepared` passes; PostgreSQL keeps the tests per
    record, :func:`~tearline.store.ranking.probe`)."""
    d, dd = _D, _DD
    earlier = ranking.probe(select(dd.c.entity_id).where(
        dd.c.token == d.c.token, dd.c.entity_id == d.c.entity_id,
        dd.c.statement_id < d.c.statement_id), dialect)
    query = (select(d.c.entity_id).select_from(d.join(_R, _R.c.id == d.c.entity_id))
             .where(d.c.token == bindparam("drive", type_=String()),
                    d.c.entity_id > bindparam("after", type_=String()), not_(earlier)))
    if schema:
        query = query.where(_R.c.schema == bindparam("schema", type_=String()))
    # not_edge first: SQLite tests an OR's terms in order (module doc: why it suffices)
    query = query.where(vis.record(_R), _condition(vis, tier, words, dialect),
                        or_(not_edge(_R), _existing(vis)), *filters.clauses(vis, _R, filtered))
    return query.order_by(d.c.entity_id).limit(limit)
