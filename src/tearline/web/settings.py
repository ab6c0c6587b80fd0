"""Knobs of the web application, from ``TEARLINE_WEB_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from tearline.errors import ConfigError, tr


@dataclass(frozen=True, slots=True)
class WebSettings:
    #: A session ends this long after sign-in, whatever happens meanwhile.
    session_minutes: int = 480
    #: Results per page of the search page.
    page_size: int = 20
    #: Shortest password the administrator may set.
    min_password_chars: int = 12

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> WebSettings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"TEARLINE_WEB_{f.name.upper()}")
            if raw is None:
                continue
            try:
                values[f.name] = int(raw)
            except ValueError:
                raise ConfigError(tr("TEARLINE_WEB_{name}: not a number: {raw!r}",
                                     name=f.name.upper(), raw=raw)) from None
        made = replace(cls(**values), **overrides)
        for f in fields(made):
            if getattr(made, f.name) <= 0:
                raise ConfigError(tr("web setting {name} must be positive", name=f.name))
        return made
