"""The README, followed command by command, works as written: its "Using it" section.

Each runnable ``sh`` block of the section is run, in file order, in a fresh checkout
(``readme_checkout.py``) as a person following the README would, after
``python3 dev.py demo`` made the environment. The federation walk-through is
``test_readme_federation.py``: a file of its own, so that the two longest runs of the
suite go to two workers of a parallel run rather than one after the other.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from readme_blocks import blocks, section
from readme_checkout import README, Checkout, make_checkout

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checkout]:
    with make_checkout(tmp_path_factory.mktemp("readme")) as made:
        yield made


def test_every_shell_block_is_run_or_marked_not_to_run() -> None:
    text = README.read_text(encoding="utf-8")
    found = blocks(text)
    assert {b.section for b in found if b.run} >= {"Using it",
                                                   "Federation: three nodes on one machine"}
    # not run: building the environment the test runs in, and serving until stopped
    assert [b.line for b in found if not b.run] == [
        b.line for b in found if b.section == "Quick start" or b.text.strip() == "tearline serve"]


def test_using_it(checkout: Checkout) -> None:
    for block in section(README.read_text(encoding="utf-8"), "Using it"):
        checkout.run(block)
