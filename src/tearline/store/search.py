"""Search through the policy: records whose visible names, aliases or identifiers hold
every word of a query, ranked (``store/ranking.py``), narrowed by filters
(``store/filters.py``), page by page.

A search is two statements: the ids and ranks of one page — every word matched, and
the page's records ranked, over the subject's visible statements only — and then the
tear-line views of those records (:func:`~tearline.store.reader.read_records`). Both
are compiled once per process and dialect (``store/prepared.py``); the subject, the
instant, the words, the filters and the position are bound parameters.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)

from tearline.model.record import Record
from tearline.store import filters, ranking
from tearline.store import tables as t
from tearline.store.filters import NO_FILTERS, Filters
from tearline.store.prepared import prepared
from tearline.store.read_query import _R, _bucket, _existing, _page_params
from tearline.store.reader import read_records
from tearline.store.search_tiers import Tier, tier_query, tier_rank
from tearline.store.tokens import exact_key, query_tokens, word_range
from tearline.store.visibility import Predicates

MAX_WORDS = ranking.MAX_WORDS
#: Tokens counted per word at most, to find the rarest: beyond this, words are equally
#: common (counting further would cost more than it could save).
COMMON_WORD = 10_000

# Aliases (each at one nesting level, shared by every statement).
_K = [t.tokens.alias(f"k{n}") for n in range(MAX_WORDS)]
_KS = [t.statements.alias(f"ks{n}") for n in range(MAX_WORDS)]
_KC = t.tokens.alias("kc")  # the candidates: entities with a token of the rarest word


def _word_match(vis: Predicates, dialect: str, n: int) -> ColumnElement[bool]:
    """Record ``_R`` has a visible statement with a token starting with word ``n``.

    On PostgreSQL the subquery carries ``OFFSET 0``, which keeps it a test run per
    record (an index probe on ``ix_tokens_entity``): turned into a join, it had the
    planner read every token of the word and match each record against all of them.
    """
    k, s = _K[n], _KS[n]
    match = select(k.c.entity_id).where(
        k.c.entity_id == _R.c.id,
        k.c.token >= bindparam(f"w{n}", type_=String()),
        k.c.token < bindparam(f"w{n}_end", type_=String()),
        s.c.id == k.c.statement_id,
        s.c.entity_id == _R.c.id,
        vis.portion(s, _R),
    )
    return (match.offset(0) if dialect == "postgresql" else match).exists()


def _search(vis: Predicates, dialect: str, words: int, schema: bool, limit: int,
            filtered: tuple[str, ...], below: bool = False, strict: bool = False) -> Any:
    """Ids and ranks of the records with a visible token for each word, best first
    (``store/ranking.py``), from the position bound as ``rank_after`` and ``after``
    (``below``: every rank under ``rank_after``, whatever the id).

    The candidates are the entities with a token of word 0 (the rarest; ``strict``: a
    token longer than the word, which is all a one-word query's lowest rank can hold);
    every word is then matched against the record's visible statements, and every match
    is ranked before the page is cut. The top ranks are read before this, each in id
    order with an early stop (``store/search_tiers.py``); this query ranks what is left.
    """
    query = select(_R.c.id, ranking.rank(vis, _R, words).label("rank"))
    w0 = bindparam("w0", type_=String())
    query = query.where(_R.c.id.in_(
        select(_KC.c.entity_id).where(_KC.c.token > w0 if strict else _KC.c.token >= w0,
                                      _KC.c.token < bindparam("w0_end", type_=String()))))
    if schema:
        query = query.where(_R.c.schema == bindparam("schema", type_=String()))
    # The record's own marking first (its columns are in the index being walked), then
    # the words (an index probe each), then the rest of existence and the filters.
    query = query.where(vis.record(_R),
                        and_(*(_word_match(vis, dialect, n) for n in range(words))),
                        _existing(vis), *filters.clauses(vis, _R, filtered))
    found = query.subquery("found")
    rank_after = bindparam("rank_after", type_=Integer())
    after = bindparam("after", type_=String())
    position = (found.c.rank < rank_after if below else
                or_(found.c.rank < rank_after,
                    and_(found.c.rank == rank_after, found.c.id > after)))
    return (select(found.c.id, found.c.rank).where(position)
            .order_by(found.c.rank.desc(), found.c.id).limit(limit))


def _count_tokens(cap: int) -> Any:
    k = t.tokens
    hits = select(literal_column("1")).where(
        k.c.token >= bindparam("lo", type_=String()),
        k.c.token < bindparam("hi", type_=String()),
    ).limit(cap).subquery("hits")
    return select(func.count()).select_from(hits)


def _search_plan(conn: Connection, words: list[str]) -> list[tuple[str, str]]:
    """The words' token ranges, rarest first (one word: nothing to count)."""
    if len(words) == 1:
        return [word_range(words[0])]
    cap = COMMON_WORD
    count = prepared(conn, ("count-tokens", cap), lambda _: _count_tokens(cap))
    counted = []
    for word in words:
        lo, hi = word_range(word)
        # A word no token starts with still runs the search (which then finds nothing
        # at once): a word that only hidden records hold takes the same statements.
        n = count.run(conn, {"lo": lo, "hi": hi})[0][0]
        counted.append((int(n), lo, hi))
    counted.sort()
    return [(lo, hi) for _, lo, hi in counted]


#: Where a ranked search resumes: after the result of this rank and id (the last of a
#: page; ``store/ranking.py``).
Position = tuple[int, str]


def _search_params(ranges: list[tuple[str, str]], schema: str | None, after: Position | None,
                   filtering: Filters) -> dict[str, Any]:
    params = _page_params(schema, after[1] if after else None, filtering)
    params["rank_after"] = after[0] if after else ranking.TOP
    params.update(ranking.rank_params([lo for lo, _ in ranges]))
    for n, (lo, hi) in enumerate(ranges):
        params[f"w{n}"], params[f"w{n}_end"] = lo, hi
    return params


def search_hits(conn: Connection, vis: Predicates, text: str, schema: str | None = None,
                after: Position | None = None, limit: int = 100,
                filtering: Filters = NO_FILTERS) -> list[Position]:
    """Entities with a visible name, alias or identifier matching every word of ``text``,
    best first (``store/ranking.py``), each with its rank.

    A word matches an indexed token that starts with it. Only visible statements are
    matched and ranked, so a hidden alias can neither find a record nor move it. The
    exact and whole-word tiers are read first, each in id order up to a page
    (``store/search_tiers.py``); the ranks below them, if the page is not full yet.
    """
    words = query_tokens(text)[:MAX_WORDS]
    if not words:
        return []
    ranges = _search_plan(conn, words)
    k = len(ranges)
    n, bucket = _bucket(limit)
    shape = filtering.key
    params = {**vis.params, **_search_params(ranges, schema, after, filtering)}
    rank_after, after_id = after if after is not None else (ranking.TOP, "")
    found: list[Position] = []
    tiers: tuple[tuple[Tier, str | None], ...] = (("exact", exact_key(words)),
                                                  ("whole", ranges[0][0]))
    for tier, drive in tiers:
        tier_at = tier_rank(tier, k)
        if tier_at > rank_after:
            continue
        statement = prepared(
            conn, (vis.shape, "search-tier", tier, k, bool(schema), bucket, shape),
            partial(tier_query, vis, tier, k, bool(schema), bucket, shape))
        rows = statement.run(conn, {**params, "drive": drive,
                                    "after": after_id if tier_at == rank_after else ""})
        found.extend((tier_at, entity_id) for (entity_id,) in rows[:n - len(found)])
        if len(found) == n:
            return found
    below = rank_after >= k  # the tiers were read: every rank under theirs is left
    strict = k == 1  # under the whole tier, a word is only ever the start of a token
    statement = prepared(
        conn, (vis.shape, "search", k, bool(schema), bucket, shape, below, strict),
        lambda d: _search(vis, d, k, bool(schema), bucket, shape, below, strict))
    if below:
        params["rank_after"] = k
    rows = statement.run(conn, params)
    found.extend((int(rank), entity_id) for entity_id, rank in rows[:n - len(found)])
    return found


def search_ids(conn: Connection, vis: Predicates, text: str, schema: str | None = None,
               after: Position | None = None, limit: int = 100,
               filtering: Filters = NO_FILTERS) -> list[str]:
    """The ids of :func:`search_hits`, best first."""
    return [i for _, i in search_hits(conn, vis, text, schema, after, limit, filtering)]


def search_records(conn: Connection, vis: Predicates, text: str, schema: str | None = None,
                   after: Position | None = None, limit: int = 100,
                   filtering: Filters = NO_FILTERS) -> list[Record]:
    """The tear-line views of :func:`search_ids`, best first (the page, then its records)."""
    return read_records(conn, vis, search_ids(conn, vis, text, schema, after, limit,
                                              filtering))
