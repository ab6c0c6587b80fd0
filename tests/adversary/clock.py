"""The clock and the randomness of a node, injected so that two worlds can be replayed alike.

Every module of tearline takes the time as ``datetime.now(UTC)`` (``from datetime import
datetime``) and mints identifiers with ``uuid.uuid4()``. :func:`injected` replaces both,
in every loaded ``tearline`` module, by :data:`CLOCK`: the time is whatever the test set
last (it never moves by itself, so nothing races it), and ``uuid4`` draws from a stream
seeded by name. The two worlds run the viewer's steps at the same instants and from the
same stream; a secret's own actions draw from another stream (:meth:`Clock.stream`), so
the identifiers it mints cannot shift the viewer's, exactly as fresh randomness would not.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import pkgutil
import random
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

_REAL = _dt.datetime


class Clock:
    """The instant every ``datetime.now`` answers, and the named stream ``uuid4`` draws from."""

    def __init__(self) -> None:
        self.now = _REAL(2026, 1, 1, tzinfo=_dt.UTC)
        self._rng = random.Random(0)

    def set(self, moment: _dt.datetime) -> None:
        self.now = moment

    def stream(self, name: str) -> None:
        """From now on ``uuid4`` draws from the stream called ``name``, from its start."""
        self._rng = random.Random(name)

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


CLOCK = Clock()


class _Meta(type):
    """Real datetimes are instances of the frozen class, as code that checks expects."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, _REAL)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, _REAL)


class FrozenDatetime(_REAL, metaclass=_Meta):
    """``datetime`` whose ``now`` is :data:`CLOCK`'s instant."""

    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> Any:
        moment = CLOCK.now
        return moment.replace(tzinfo=None) if tz is None else moment.astimezone(tz)

    @classmethod
    def utcnow(cls) -> Any:
        return CLOCK.now.replace(tzinfo=None)


def _load_everything() -> None:
    """Import every tearline module now, so that lazy imports are patched too."""
    import tearline

    for info in pkgutil.walk_packages(tearline.__path__, "tearline."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)


@contextmanager
def injected() -> Iterator[Clock]:
    """:data:`CLOCK` stands in for the wall clock and ``uuid4`` until the block ends."""
    _load_everything()
    with pytest.MonkeyPatch.context() as mp:
        for name, module in list(sys.modules.items()):
            if name.startswith("tearline") and getattr(module, "datetime", None) is _REAL:
                mp.setattr(module, "datetime", FrozenDatetime)
        mp.setattr(uuid, "uuid4", CLOCK.uuid4)
        yield CLOCK
