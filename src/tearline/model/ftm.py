"""FollowTheMoney, imported with its schema files parsed by libyaml.

Importing ``followthemoney`` builds its model singleton from its schema files, read with
``yaml.safe_load``: PyYAML's parser written in Python, the larger part of what importing
followthemoney costs — paid by every ``tearline`` process that opens the store or reads
an entity. :func:`imported` does that first import with ``yaml.safe_load`` answering
through :data:`SAFE_LOADER` (libyaml's parser when PyYAML was built with it: the same
safe constructors and resolver build the same values, ``tests/model/test_schema.py``),
and puts PyYAML's function back before returning. A thread calling ``yaml.safe_load``
meanwhile gets the same values from the faster parser.

tearline's modules import followthemoney's names from here, and only from here
(``tests/model/test_ftm_import.py`` checks it): whichever of them a process imports first,
the model is parsed once, by libyaml.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

#: libyaml's safe loader, or PyYAML's own where PyYAML was built without libyaml.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(stream: Any) -> Any:
    return yaml.load(stream, Loader=SAFE_LOADER)  # noqa: S506 — a safe loader


def imported() -> None:
    """Import followthemoney (once per process), its model parsed by :data:`SAFE_LOADER`."""
    if "followthemoney" in sys.modules:
        return
    plain = yaml.safe_load
    yaml.safe_load = _safe_load
    try:
        import followthemoney  # noqa: F401
    finally:
        yaml.safe_load = plain


imported()

# after the import above
from followthemoney.exc import InvalidModel  # noqa: E402
from followthemoney.model import Model  # noqa: E402
from followthemoney.schema import Schema  # noqa: E402
from followthemoney.settings import MODEL_PATH  # noqa: E402
from followthemoney.types import registry  # noqa: E402
from followthemoney.util import const  # noqa: E402

__all__ = ["MODEL_PATH", "SAFE_LOADER", "InvalidModel", "Model", "Schema", "const",
           "imported", "registry"]
