"""The rows of a write: records, statements and search tokens as tuples in column order.

``store/writer.py`` stores them; making them is apart because it touches no database
and is the write's hot loop: a file shares a few timestamps and markings and repeats
many values, so :class:`RowMaker` formats, hashes or tokenizes each once per write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.schema import get_model
from tearline.store import tables as t
from tearline.store.bulk import columns
from tearline.store.tokens import NAME_TYPES, WHOLE_TYPES, exact_key, tokens_for

#: Property types with search tokens (see :mod:`tearline.store.tokens`).
SEARCHABLE_TYPES = NAME_TYPES | WHOLE_TYPES


class RowMaker:
    """Rows (tuples in table column order) for records, statements and search tokens.

    One maker serves a whole write: a file shares a few timestamps and markings and
    repeats many values, so each is formatted, hashed or tokenized once.
    """

    def __init__(self, added_at: datetime | None = None) -> None:
        self.stamps: dict[datetime, str] = {}
        #: when this write runs: each new statement's ``added_at`` (``store/feed.py``)
        self.added = t.ts(added_at if added_at is not None else datetime.now(UTC))
        self.marking_ids: dict[Marking, str] = {}
        self.tokens: dict[tuple[str, str], tuple[str, ...]] = {}
        self.types: dict[str, dict[str, str]] = {}  # schema → property → type name

    def stamp(self, moment: datetime) -> str:
        found = self.stamps.get(moment)
        if found is None:
            found = self.stamps[moment] = t.ts(moment)
        return found

    def marking_id(self, marking: Marking) -> str:
        found = self.marking_ids.get(marking)
        if found is None:
            found = self.marking_ids[marking] = marking.id
        return found

    def record(self, rec: Record) -> tuple[Any, ...]:
        created = rec.created_at
        assert created is not None, "records are built with a creation time"
        stamp = self.stamp(created)
        modified = rec.modified_at
        return (
            rec.id,
            rec.schema,
            rec.originator,
            rec.author,
            self.marking_id(rec.marking),
            rec.synthetic,
            rec.version,
            stamp,
            stamp if modified is None or modified == created else self.stamp(modified),
            None,
        )

    def statements(
        self, records: Iterable[Record]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str]]]:
        """Rows for the statements and tokens tables (no database access)."""
        model = get_model()
        rows: list[tuple[Any, ...]] = []
        token_rows: list[tuple[str, str, str]] = []
        append, append_token = rows.append, token_rows.append
        tokens, types = self.tokens, self.types
        # Statements of a batch mostly share one provenance (the same datetime and enum
        # objects): their stored forms are worked out again only when one changes.
        seen_first = seen_last = reliability = credibility = None
        first = last = reliability_value = credibility_value = ""
        for rec in records:
            prop_types = types.get(rec.schema)
            if prop_types is None:
                prop_types = types[rec.schema] = {
                    name: prop.type.name for name, prop in model[rec.schema].properties.items()
                }
            for st in rec.statements:
                if st.first_seen is not seen_first or st.last_seen is not seen_last:
                    seen_first, seen_last = st.first_seen, st.last_seen
                    first = self.stamp(seen_first)
                    last = first if seen_last == seen_first else self.stamp(seen_last)
                if st.reliability is not reliability or st.credibility is not credibility:
                    reliability, credibility = st.reliability, st.credibility
                    reliability_value, credibility_value = reliability.value, credibility.value
                marking = st.marking
                append(
                    (
                        st.id,
                        st.entity_id,
                        st.schema,
                        st.prop,
                        st.value,
                        st.original_value,
                        st.origin,
                        st.author,
                        reliability_value,
                        credibility_value,
                        first,
                        last,
                        None if marking is None else self.marking_id(marking),
                        None,
                        self.added,
                    )
                )
                type_name = prop_types[st.prop]
                if type_name not in SEARCHABLE_TYPES:
                    continue
                key = (type_name, st.value)
                found = tokens.get(key)
                if found is None:
                    words = sorted(tokens_for(type_name, st.value))
                    exact = exact_key(words)  # the first tier of a ranked search
                    found = tokens[key] = (*words, exact) if exact else tuple(words)
                for token in found:
                    append_token((token, st.id, st.entity_id))
        return rows, token_rows


def statement_rows(records: Sequence[Record]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the statements and tokens tables as dicts by column (no database access)."""
    rows, token_rows = RowMaker().statements(records)
    names, token_names = columns(t.statements), columns(t.tokens)
    return (
        [dict(zip(names, row, strict=True)) for row in rows],
        [dict(zip(token_names, row, strict=True)) for row in token_rows],
    )
