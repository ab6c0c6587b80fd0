"""Every module of tearline imported, to find what the code defines (error classes)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import tearline
from tearline.errors import TearlineError


@cache
def tearline_modules() -> tuple[str, ...]:
    """The names of every module of the package (migrations aside: Alembic runs those)."""
    names = []
    for info in pkgutil.walk_packages(tearline.__path__, "tearline."):
        if ".migrations" in info.name:
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    return tuple(names)


def tearline_error_classes() -> list[type[TearlineError]]:
    """Every subclass of :class:`TearlineError` any module of tearline defines."""
    tearline_modules()
    found: list[type[TearlineError]] = [TearlineError]
    for cls in found:
        found.extend(sub for sub in cls.__subclasses__() if sub.__module__.startswith("tearline."))
    return sorted(set(found), key=lambda cls: cls.__name__)
