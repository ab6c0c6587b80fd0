"""The README's federation walk-through, followed command by command, works as written.

Its blocks run in a fresh checkout (``readme_checkout.py``): three nodes start their
listeners in the background (on free ports, waited for until they accept
connections, stopped at the end). Afterwards the test checks what the README says
happened: the vetted navy unit holds the DEA's three records, the attorney-general
unit only the `TLP:GREEN` one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from readme_blocks import section
from readme_checkout import README, Checkout, make_checkout

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checkout]:
    with make_checkout(tmp_path_factory.mktemp("readme-federation")) as made:
        yield made


def test_federation_three_nodes_on_one_machine(checkout: Checkout) -> None:
    text = README.read_text(encoding="utf-8")
    runnable = section(text, "Federation")
    assert "party add-agreement" in "".join(b.text for b in runnable)
    for block in runnable:
        checkout.run(block)
    at_semar = json.loads(checkout.tearline("-w", "semar", "list", "--as", "mx.semar.uie",
                                            "-f", "json"))
    at_fgr = json.loads(checkout.tearline("-w", "fgr", "list", "--as", "mx.fgr.femdo",
                                          "-f", "json"))
    dea = "us.dea.sod.."
    assert sorted(r["id"] for r in at_semar) == [dea + "o-costa", dea + "p-quintero",
                                                 dea + "v-lancha"]
    assert [r["id"] for r in at_fgr] == [dea + "v-lancha"]
