"""Every published series the node imports is cited by publisher, title, URL and retrieval."""

from __future__ import annotations

import re
from pathlib import Path

from tearline.sources.citations import CITATIONS, citation_for
from tearline.sources.provenance import sha256_hex


def _readme_hashes(data_dir: Path) -> dict[str, str]:
    """``relative path → SHA-256`` as the reference data's README lists them."""
    text = (data_dir / "README.md").read_text("utf-8")
    return {path: digest for digest, path in re.findall(r"^([0-9a-f]{64})\s+(\S+)$", text, re.M)}


def test_every_cbp_and_unodc_reference_file_has_a_citation(data_dir: Path) -> None:
    readme = (data_dir / "README.md").read_text("utf-8")
    listed = {p: h for p, h in _readme_hashes(data_dir).items() if p.split("/")[0] in
              ("cbp", "unodc")}  # fmt: skip
    assert len(listed) == 3
    for path, digest in listed.items():
        assert sha256_hex((data_dir / path).read_bytes()) == digest, path
        citation = citation_for(digest)
        assert citation is not None, path
        assert citation.url.startswith("https://")
        commit = re.search(r"commit ([0-9a-f]{40}), file (.+)$", citation.retrieved)
        assert commit is not None, citation.retrieved
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{path}`"))
        assert commit.group(2) in row  # the path in the repository it was taken from
        assert commit.group(1) in readme  # the commit the README pins
    assert set(CITATIONS) == set(listed.values())


def test_the_citation_names_publisher_title_and_url() -> None:
    cbp = citation_for("5C93D66CF3498AC977064F384E029588F7AD1F410E71DB328F7168B40DB999DB")
    assert cbp is not None
    line = cbp.text()
    assert line.startswith('U.S. Customs and Border Protection, "Nationwide Drug Seizures')
    assert "https://www.cbp.gov/" in line and "public domain" in line
    assert citation_for("ab" * 32) is None  # other bytes under a known name get no citation
