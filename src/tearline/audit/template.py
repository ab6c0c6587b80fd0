"""Many events of one kind that differ in a few fields: their canonical bytes in bulk.

A deconfliction check of thousands of selectors logs a query entry per selector and a
hit entry per hit, and a registration an entry per token; within one batch the entries
share their kind, time, actor and most fields. Constructing each as an
:class:`~tearline.audit.envelope.Event` validates every field of every entry and encodes
the whole object again, though only one or two values change. An
:class:`EventTemplate` validates the shared fields once — by constructing one event of
the kind, every rule applied — and each entry's own values with the very checkers
the event's construction runs, then splices their RFC 8785 encodings into the
prototype's bytes at their places. The bytes are exactly the event's
:meth:`~tearline.audit.envelope.Event.to_canonical` (the key order does not depend on
the values, and a string's or an integer's encoding does not depend on where it
stands), which the tests pin over random values; a value an event would refuse is
refused here with the same problems.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from tearline.audit.canonical import canonical_bytes_no_floats
from tearline.audit.envelope import Event, _field_checkers
from tearline.errors import Problem, ValidationError, tr

#: Where an entry's own values go: the lookup columns the log stores beside the bytes.
Columns = tuple[str, str, str, str | None]


class EventTemplate:
    """Canonical bytes of ``type(prototype)`` events equal to ``prototype`` except in
    the fields ``varying``, each given per entry (:meth:`bodies`).

    ``prototype`` is a constructed, hence valid, event; its values of the varying
    fields are ignored. Kinds with rules across fields (an overridden
    :meth:`~tearline.audit.envelope.Event.check`) have no template, since their checks
    are not per field; ``at``, ``actor`` and ``entity_id`` do not vary, since the log
    stores them as lookup columns beside the bytes (:meth:`columns`).
    """

    def __init__(self, prototype: Event, varying: Sequence[str]) -> None:
        cls = type(prototype)
        if cls.check is not Event.check:
            raise TypeError(f"{cls.__name__} has rules across fields: no template")
        checkers = dict(_field_checkers(cls))
        unknown = [name for name in varying
                   if name not in checkers or name in ("at", "actor", "entity_id")]
        if unknown or len(set(varying)) != len(varying) or not varying:
            raise TypeError(f"{cls.__name__}: cannot vary {list(varying)}")
        self.kind = cls.kind
        self.at = prototype.at
        self.actor = prototype.actor
        self.entity_id: str | None = getattr(prototype, "entity_id", None)
        self.varying = tuple(varying)
        self._checkers = tuple(checkers[name] for name in self.varying)
        # each varying value replaced by a marker no value can contain, then cut there
        markers = {name: f"\x00{uuid.uuid4().hex}\x00" for name in self.varying}
        body = {**prototype.to_json(), **markers}
        encoded = canonical_bytes_no_floats(body)
        where = sorted((encoded.index(canonical_bytes_no_floats(m)), name, m)
                       for name, m in markers.items())
        parts, order, start = [], [], 0
        for position, name, marker in where:
            parts.append(encoded[start:position])
            order.append(self.varying.index(name))
            start = position + len(canonical_bytes_no_floats(marker))
        parts.append(encoded[start:])
        self._parts = tuple(parts)
        self._order = tuple(order)

    def body(self, values: Sequence[Any]) -> bytes:
        """The canonical bytes of the event with ``values`` for the varying fields (in
        the order they were named); :class:`ValidationError` as the event would raise."""
        if len(values) != len(self.varying):
            raise ValueError(f"{len(self.varying)} values expected, not {len(values)}")
        problems: list[Problem] = []
        checked = [check(name, value, problems) for name, check, value
                   in zip(self.varying, self._checkers, values, strict=True)]
        if problems:
            raise ValidationError(tr("invalid {kind} event", kind=self.kind), problems)
        parts = self._parts
        out = [parts[0]]
        for i, slot in enumerate(self._order):
            out.append(canonical_bytes_no_floats(checked[slot]))
            out.append(parts[i + 1])
        return b"".join(out)

    def bodies(self, rows: Iterable[Sequence[Any]]) -> list[bytes]:
        return [self.body(values) for values in rows]

    def columns(self) -> Columns:
        """The lookup columns of every entry of the template (kind, at, actor, entity)."""
        return (self.kind, self.at, self.actor, self.entity_id)

