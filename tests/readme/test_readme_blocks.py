"""The README test's reading of the README: which blocks run, and in which section."""

from __future__ import annotations

import pytest
from readme_blocks import blocks, section

TEXT = """# t
## Quick start
```sh no-run
python3 dev.py test
```
## Using it
```sh
tearline init
```
```json
{"not": "shell"}
```
````sh
echo "```"
````
## Federation: three nodes
```sh
tearline -w dea init
```
"""


def test_blocks_are_found_with_their_sections_and_marks() -> None:
    found = blocks(TEXT)
    assert [(b.section, b.run) for b in found] == [
        ("Quick start", False), ("Using it", True), ("Using it", True),
        ("Federation: three nodes", True)]
    assert found[2].text == 'echo "```"\n'
    assert [b.text for b in section(TEXT, "Federation")] == ["tearline -w dea init\n"]
    assert section(TEXT, "Quick start") == []


def test_an_unclosed_fence_is_an_error() -> None:
    with pytest.raises(ValueError, match="never closed"):
        blocks("## A\n```sh\ntearline init\n")
