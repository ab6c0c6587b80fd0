"""``tearline trace FILE``: for each of three recipients and each channel, the leaked copy
names its recipient after re-serialization; a copy of public data names no one
(``cli/trace.py``)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from trace_world import RECIPIENTS, Workspace, seed

from store_template import copy_to
from tearline.store import Store, audit_log


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Workspace:
    root = tmp_path_factory.mktemp("trace")
    url = copy_to(store_template, f"sqlite:///{root / 'tearline.sqlite'}")
    store = Store.open(url)
    try:
        seed(store)
    finally:
        store.close()
    return Workspace(root, url)


def traced(ws: Workspace, path: Path) -> list[dict[str, object]]:
    out = ws.ok("trace", path, "--format", "json").stdout
    return [f for f in json.loads(out) if f["named"]]


def named(ws: Workspace, path: Path) -> list[str]:
    return [str(f["recipient"]) for f in traced(ws, path)]


def _reordered_json(text: str) -> str:
    """What a leaker's tool makes of JSON lines: one array, keys sorted, re-indented."""
    docs = [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.dumps(docs, sort_keys=True, indent=4, ensure_ascii=True)


@pytest.mark.parametrize("unit", RECIPIENTS)
def test_a_json_export_names_its_recipient_after_reserialization(
        ws: Workspace, tmp_path: Path, unit: str) -> None:
    out = tmp_path / "export.jsonl"
    ws.ok("export", "--as", unit, "--out", out)
    leak = tmp_path / "leak.json"
    leak.write_text(_reordered_json(out.read_text("utf-8")), "utf-8")
    assert named(ws, leak) == [f"unit:{unit}"]
    # the copy mark stripped, the order of each record's values still names it
    docs = json.loads(leak.read_text("utf-8"))
    for doc in docs:
        doc.pop("copy", None)
    leak.write_text(json.dumps(docs), "utf-8")
    [finding] = traced(ws, leak)
    assert finding["recipient"] == f"unit:{unit}"
    assert all("copy mark" not in e for e in finding["evidence"])  # type: ignore[union-attr]


@pytest.mark.parametrize("unit", RECIPIENTS)
def test_a_csv_export_names_its_recipient_after_reserialization(
        ws: Workspace, tmp_path: Path, unit: str) -> None:
    out = tmp_path / "export.csv"
    ws.ok("export", "--as", unit, "--format", "csv", "--out", out)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    header, body = rows[0], rows[1:]
    order = list(reversed(range(len(header))))  # columns in another order, copy dropped
    keep = [i for i in order if header[i] != "copy"]
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    writer.writerows([[row[i] for i in keep] for row in body])
    leak = tmp_path / "leak.csv"
    leak.write_text(buf.getvalue(), "utf-8")
    assert named(ws, leak) == [f"unit:{unit}"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("unit", RECIPIENTS)
def test_a_reports_text_names_its_recipient(ws: Workspace, tmp_path: Path, unit: str) -> None:
    pdf = tmp_path / "assessment.pdf"
    ws.ok("report", "assessment", "--as", unit, "--out", pdf, "--no-cbp", "--no-unodc",
          "--at", "2024-06-01T00:00:00Z")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    assert "page 1 of" in text and "TLP:AMBER" in text
    # pasted into a mail, re-wrapped, the copy mark cut out: the text's hyphen choices
    # still name it
    words = " ".join(line for line in text.splitlines() if "TL-" not in line).split()
    leak = tmp_path / "pasted.txt"
    leak.write_text("\n".join(" ".join(words[i:i + 9]) for i in range(0, len(words), 9)),
                    "utf-8")
    assert named(ws, leak) == [f"unit:{unit}"]
    assert named(ws, pdf) == [f"unit:{unit}"]  # the PDF itself, read with pdftotext


def test_a_copy_of_public_data_names_no_one(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "export.jsonl"
    ws.ok("export", "--as", RECIPIENTS[0], "--out", out)
    public = [line for line in out.read_text("utf-8").splitlines()
              if '"tlp": "CLEAR"' in line]
    assert len(public) == 4 and all('"copy"' not in line for line in public)
    leak = tmp_path / "public.json"
    leak.write_text(_reordered_json("\n".join(public)), "utf-8")
    result = ws.ok("trace", leak, "--format", "json")
    assert json.loads(result.stdout) == []
    assert "no recipient named" in result.output


def test_each_release_is_logged_with_its_mark(ws: Workspace, tmp_path: Path) -> None:
    ws.ok("export", "--as", RECIPIENTS[2], "--format", "csv", "--out", tmp_path / "x.csv")
    store = Store.open(ws.db_url)
    try:
        with store.reading() as conn:
            copies = [json.loads(e.body) for e in audit_log.entries(conn, limit=100_000)
                      if e.kind == "trace.copy"]
    finally:
        store.close()
    last = copies[-1]
    assert (last["recipient"], last["channel"]) == (f"unit:{RECIPIENTS[2]}", "csv")
    assert last["record_count"] == 36 and last["mark"].startswith("TL-")
