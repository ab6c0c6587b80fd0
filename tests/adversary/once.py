"""Documents and charts made once per distinct input, in place of the product's makers.

WeasyPrint writes the same PDF bytes for the same HTML, and matplotlib the same chart
bytes for the same figures (``reports/charts.py``: no date, no software version):
``paths_reports.py`` compares PDFs by their SHA-256 on that ground. So a world whose
input was already made into a document gets those bytes, and an input that differs in
any byte — its pickle is the key — is made afresh and compared as before. A catalog's
``gettext`` (a chart's words) is keyed by its catalog's messages; an input that cannot
be pickled is always made afresh. The conftest puts these in place of
``tearline.reports.pdf.html_to_pdf`` and the chart functions of ``reports/charts.py``.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import pickle
from collections.abc import Callable
from typing import Any


class _Pickler(pickle.Pickler):
    """Pickles a catalog's bound method as the catalog's messages (each use loads the
    catalog afresh: the same messages are the same words)."""

    def persistent_id(self, obj: Any) -> Any:
        owner = getattr(obj, "__self__", None)
        if (isinstance(owner, gettext.GNUTranslations) and callable(obj)
                and owner._fallback is None):
            return ("catalog", obj.__name__, sorted(owner._catalog.items(), key=repr))
        return None


def _key(value: object) -> str:
    buffer = io.BytesIO()
    _Pickler(buffer).dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


class Once:
    def __init__(self, make: Callable[..., bytes]) -> None:
        self.make = make
        self.made: dict[str, bytes] = {}  # by the SHA-256 of the pickled input

    def __call__(self, *args: Any, **kwargs: Any) -> bytes:
        try:
            key = _key((args, sorted(kwargs.items())))
        except (pickle.PicklingError, TypeError, AttributeError):
            return self.make(*args, **kwargs)
        if key not in self.made:
            self.made[key] = self.make(*args, **kwargs)
        return self.made[key]
