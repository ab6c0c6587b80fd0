"""The schema model: FollowTheMoney's schemata plus tearline's own.

FollowTheMoney provides the entity types (Person, Organization, Vehicle, Vessel,
Address, Membership, UnknownLink, …) and their property types with normalization
(E.164 phones, ISO countries, partial dates). tearline adds the schemata of the
field — Seizure, Lab, Operation, Phone — as YAML files beside this module, loaded
into the same model so that every followthemoney tool works on them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tearline.model import territories
from tearline.model.ftm import MODEL_PATH, SAFE_LOADER, InvalidModel, Model, Schema, const

territories.install()

SCHEMATA_PATH = Path(__file__).with_name("schemata")

#: The schemata tearline defines on top of FollowTheMoney.
TEARLINE_SCHEMATA = ("Seizure", "Lab", "Operation", "Phone")


class TearlineModel(Model):
    """A FollowTheMoney model loaded from several schema folders."""

    def __init__(self, *paths: str) -> None:
        self.path = paths[0]
        self.schemata = {}
        self.properties = set()
        self.qnames = {}
        for path in paths:
            for dirpath, _, filenames in os.walk(path):
                for filename in sorted(filenames):
                    if filename.endswith(".yaml"):
                        self._load(os.path.join(dirpath, filename))
        self.generate()

    def _load(self, filepath: str) -> None:
        """``Model._load`` with libyaml's parser (``ftm.SAFE_LOADER``)."""
        with open(filepath, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=SAFE_LOADER)  # noqa: S506 — a safe loader
        if not isinstance(data, dict):
            raise InvalidModel(f"Model file is not a mapping: {filepath}")
        for name, config in data.items():
            name = const(name)
            self.schemata[name] = Schema(self, name, config)


@lru_cache(maxsize=1)
def get_model() -> Any:
    """The tearline model (FollowTheMoney's schemata plus tearline's)."""
    return TearlineModel(MODEL_PATH, str(SCHEMATA_PATH))
