"""medallion, the OASIS TAXII 2.1 reference server, as a real process on loopback.

Seeded with standard STIX 2.1 (no tearline extension): OFAC narcotics entries from
the reference data, mapped to STIX and stripped of everything tearline adds, so that
what the pull client reads is what a third-party platform would serve.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from statement_keys import TEST_KEYER
from tearline.ingest.ofac_import import import_sdn
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Provenance
from tearline.stix.export import to_stix
from waiting import HANG, wait_until

USER, PASSWORD = "puller", "medallion-test-password"
API_ROOT = "api1"
COLLECTION = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
TLP_IDS = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ofac_records(data_dir: Path, limit: int | None = None, origin: str = "us.treasury",
                 tlp: str = "GREEN") -> list[Record]:
    provenance = Provenance(origin, origin + ".ofac", datetime(2024, 5, 3, tzinfo=UTC))
    records = import_sdn(data_dir / "ofac" / "sdn_2024-05-03.csv", provenance,
                         Marking.build(tlp), inferred=False, keyer=TEST_KEYER)
    return records if limit is None else records[:limit]


def standard_objects(records: Sequence[Record]) -> list[dict[str, Any]]:
    """STIX 2.1 objects as a platform that knows nothing of tearline would serve them."""
    bundle = to_stix(list(records)).bundle
    out = []
    for obj in bundle["objects"]:
        if obj["type"] == "extension-definition" or (
                obj["type"] == "marking-definition" and obj["id"] not in TLP_IDS):
            continue
        if obj["type"] == "marking-definition":
            continue  # the TLP 2.0 definitions are known by id
        obj = {k: v for k, v in obj.items() if k != "extensions"}
        if "object_marking_refs" in obj:
            obj["object_marking_refs"] = [r for r in obj["object_marking_refs"] if r in TLP_IDS]
        obj.pop("granular_markings", None)
        if obj.get("created_by_ref") == "identity--tearline":
            obj.pop("created_by_ref")
        out.append(obj)
    return out


def data_file(objects: Sequence[dict[str, Any]], added: datetime | None = None,
              title: str = "OFAC narcotics") -> dict[str, Any]:
    """medallion's memory-backend file: discovery, one API root, one collection."""
    stamp = (added or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    manifest = [{"id": o["id"], "date_added": stamp,
                 "version": o.get("modified", o.get("created", stamp)),
                 "media_type": "application/stix+json;version=2.1"} for o in objects]
    return {
        "/discovery": {"title": "medallion test server", "description": "loopback",
                       "contact": "nobody", "default": f"/{API_ROOT}/",
                       "api_roots": [f"/{API_ROOT}/"]},
        API_ROOT: {
            "information": {"title": "api root", "description": "test",
                            "versions": ["application/taxii+json;version=2.1"],
                            "max_content_length": 100_000_000},
            "status": [],
            "collections": [{
                "id": COLLECTION, "title": title, "description": "standard STIX 2.1",
                "can_read": True, "can_write": True,
                "media_types": ["application/stix+json;version=2.1"],
                "objects": list(objects), "manifest": manifest,
            }],
        },
    }


@dataclass
class Medallion:
    url: str  # discovery URL
    process: subprocess.Popen[bytes]
    objects: list[dict[str, Any]]
    log: Any = None

    @property
    def auth(self) -> tuple[str, str]:
        return USER, PASSWORD

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(HANG)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(HANG)
        if self.log is not None:
            self.log.close()


def start_medallion(folder: Path, objects: Sequence[dict[str, Any]],
                    page_size: int = 100, added: datetime | None = None) -> Medallion:
    """medallion serving ``objects`` in one collection, in this order, all added at
    ``added`` (default: now)."""
    data = folder / "medallion-data.json"
    data.write_text(json.dumps(data_file(objects, added)), encoding="utf-8")
    config = folder / "medallion-config.json"
    config.write_text(json.dumps({
        "backend": {"module_class": "MemoryBackend",
                    "module": "medallion.backends.memory_backend",
                    "filename": str(data), "session_timeout": 600},
        "users": {USER: PASSWORD},
        "taxii": {"max_page_size": page_size},
    }), encoding="utf-8")
    port = free_port()
    log = open(folder / "medallion.log", "wb")  # noqa: SIM115 (the process keeps it)
    process = subprocess.Popen(
        [sys.executable, "-m", "medallion.scripts.run", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "ERROR", str(config)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    url = f"http://127.0.0.1:{port}/taxii2/"

    def answers() -> bool:
        if process.poll() is not None:
            log.close()
            raise RuntimeError(f"medallion exited: {(folder / 'medallion.log').read_text()}")
        try:
            httpx.get(url, auth=(USER, PASSWORD), timeout=HANG,
                      headers={"Accept": "application/taxii+json;version=2.1"})
            return True
        except httpx.ConnectError:
            return False

    try:
        wait_until(answers, "medallion to answer", poll=0.2)
    except AssertionError:
        process.kill()
        log.close()
        raise
    return Medallion(url, process, list(objects), log)


def medallion_fixture(count: int | None = 60, page_size: int = 25) -> Any:
    """A module-scoped pytest fixture: medallion seeded with ``count`` OFAC records as STIX."""
    import pytest

    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Any:
        folder = tmp_path_factory.mktemp("medallion")
        server = start_medallion(folder, standard_objects(ofac_records(data_dir, count)),
                                 page_size)
        yield server
        server.stop()

    return fixture
