"""MISP events → the files of a MISP feed (pure: names and bytes; the caller writes them).

A MISP feed is a folder a MISP instance subscribes to: one ``<event uuid>.json`` per
event (``{"Event": …}``, PyMISP's ``to_feed`` with distributions kept), a
``manifest.json`` mapping each event uuid to its summary (info, date, tags,
organisation, timestamp), and ``hashes.csv`` (MD5 of each attribute value, the event
uuid) that MISP uses to correlate without fetching every event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pymisp import MISPEvent


def feed_files(events: Iterable[MISPEvent]) -> dict[str, str]:
    """File name → text, for every file of the feed."""
    files: dict[str, str] = {}
    manifest: dict[str, Any] = {}
    hashes: list[str] = []
    for event in events:
        feed = event.to_feed(with_meta=True, with_distribution=True)["Event"]
        manifest.update(feed.pop("_manifest"))
        hashes += [f"{h},{event.uuid}" for h in feed.pop("_hashes")]
        files[f"{event.uuid}.json"] = _dump({"Event": feed})
    files["manifest.json"] = _dump(dict(sorted(manifest.items())))
    files["hashes.csv"] = "".join(f"{line}\n" for line in hashes)
    return files


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"
