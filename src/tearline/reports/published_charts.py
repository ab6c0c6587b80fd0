"""Charts of published series, drawn once per process for the same figures.

An assessment's aggregate charts (CBP's monthly figures) and its long-run chart
(UNODC's yearly figures) are drawn from published series only: every unit's
assessment in a language holds the same ones, and ``tearline report assessment``
for every unit, or a server answering one request after another, would draw them
again each time. Charts are deterministic (:mod:`tearline.reports.charts`: the same
figures give the same bytes), so a chart kept under the SHA-256 of its pickled
input is the chart that drawing it again would give.

Only charts of published series are kept. A chart of the records a unit may see is
drawn for every request: were it kept, how fast an answer came could tell a unit
that another had just been shown the same figures.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

#: Charts kept: a few languages × formats × drugs of the published series.
LIMIT = 64

_kept: OrderedDict[bytes, dict[str, bytes]] = OrderedDict()
_lock = threading.Lock()


def drawn(key: object, draw: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    """The charts ``draw()`` gives for ``key`` (every input they are drawn from: figures,
    language, format), drawn on the first call only; the least recently used are
    dropped beyond :data:`LIMIT`. The caller's copy is its own (a new dict)."""
    digest = hashlib.sha256(pickle.dumps(key, protocol=5)).digest()
    with _lock:
        found = _kept.get(digest)
        if found is not None:
            _kept.move_to_end(digest)
            return dict(found)
    # Drawn outside the lock: two requests may draw the same charts at once, and both
    # keep the same bytes.
    charts = draw()
    with _lock:
        _kept[digest] = dict(charts)
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)
    return charts
