"""Documents and charts made once per distinct input, in place of the product's makers.

WeasyPrint writes the same PDF bytes for the same HTML, and matplotlib the same chart
bytes for the same figures (``reports/charts.py``: no date, no software version):
``paths_reports.py`` compares PDFs by their SHA-256 on that ground. So a world whose
input was already made into a document gets those bytes, and an input that differs in
any byte — its pickle is the key — is made afresh and compared as before. An input
that cannot be pickled is always made afresh. The conftest puts these in place of
``tearline.reports.pdf.html_to_pdf`` and the chart functions of ``reports/charts.py``.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any


class Once:
    def __init__(self, make: Callable[..., bytes]) -> None:
        self.make = make
        self.made: dict[str, bytes] = {}  # by the SHA-256 of the pickled input

    def __call__(self, *args: Any, **kwargs: Any) -> bytes:
        try:
            key = hashlib.sha256(pickle.dumps((args, sorted(kwargs.items())))).hexdigest()
        except (pickle.PicklingError, TypeError, AttributeError):
            return self.make(*args, **kwargs)
        if key not in self.made:
            self.made[key] = self.make(*args, **kwargs)
        return self.made[key]
