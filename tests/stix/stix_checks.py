"""Helpers for the STIX tests: run stix2-validator and stix2 on what tearline emits.

stix2-validator builds a fresh reference registry for every object and re-reads
and re-crawls every referenced schema file each time (about 17 ms per object).
:func:`fast_validator` keeps the validator's own schemas and checks, but builds each
schema's validator once over one registry that holds every schema file already
crawled; :func:`test_fast_validator_agrees` in ``test_stix_bundles.py`` pins that it
reports the same errors and warnings as the stock validator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import stix2  # type: ignore[import-untyped]
import stix2validator.validator as validator_module  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from stix2validator import (
    ValidationOptions,
    validate_instance,
)

#: Warnings tearline's output is allowed to raise, and why:
#: 103 — ids are UUIDv5 from tearline's namespace, deliberately (see tearline.stix.ids);
#: 202 — relationship types and ends outside STIX's cyber-centred suggestion table
#:        (member-of, associate-of, incident → identity, …), which STIX permits.
ALLOWED_WARNINGS = frozenset({"103", "202"})
_CODE = re.compile(r"\{(\d+)\}")


@contextmanager
def fast_validator() -> Iterator[None]:
    stock = validator_module.load_validator
    schema_root = Path(validator_module.__file__).parent
    resources = []
    for path in sorted(schema_root.glob("schemas-2.1/**/*.json")):
        if "examples" in path.parts:
            continue
        schema = validator_module.patch_schema(json.loads(path.read_text()), str(path))
        resources.append((path.as_uri(), DRAFT202012.create_resource(schema)))
        resources.append((str(path), DRAFT202012.create_resource(schema)))
    registry: Registry[Any] = Registry().with_resources(resources).crawl()
    cache: dict[tuple[str, str], Any] = {}

    def load(schema_path: str, schema: dict[str, Any], schema_dir: str) -> Any:
        key = (schema_path, json.dumps(schema, sort_keys=True))
        if key not in cache:
            patched = validator_module.patch_schema(schema, schema_path)
            reg = registry.with_resource(schema_path, DRAFT202012.create_resource(patched))
            cache[key] = validator_module.STIXValidator(
                patched, registry=reg.crawl(),
                format_checker=validator_module.Draft202012Validator.FORMAT_CHECKER,
            )
        return cache[key]

    validator_module.load_validator = load
    try:
        yield
    finally:
        validator_module.load_validator = stock


def problems(bundle: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the stix2-validator for a bundle."""
    result = validate_instance(bundle, ValidationOptions(version="2.1"))
    return [str(e) for e in result.errors], [str(w) for w in result.warnings]


def unexpected_warnings(warnings: list[str]) -> list[str]:
    return [w for w in warnings if not (set(_CODE.findall(w)) <= ALLOWED_WARNINGS)]


def assert_valid(bundle: dict[str, Any]) -> None:
    errors, warnings = problems(bundle)
    assert errors == [], errors[:10]
    assert unexpected_warnings(warnings) == [], unexpected_warnings(warnings)[:10]
    parsed = stix2.parse(json.dumps(bundle), allow_custom=False)
    assert len(parsed.objects) == len(bundle["objects"])
