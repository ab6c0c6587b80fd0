"""A product's marking and key judgments (``reports/products.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

from tearline.model.marking import Marking, Tlp
from tearline.reports.products import banner, confidence, product_marking

A = Marking.build("AMBER", ["agency:mx.semar", "agency:mx.fgr"], legal_basis="agr-1",
                  caveats=["NOFORN"])
B = Marking.build("AMBER+STRICT", ["agency:mx.semar"], orcon=True, legal_basis="agr-1",
                  expires_at=datetime(2030, 1, 1, tzinfo=UTC))
C = Marking.build("GREEN")


def test_the_most_restrictive_of_each_part() -> None:
    m = product_marking([A, B, C])
    assert m.tlp is Tlp.AMBER_STRICT and m.orcon
    assert {str(s) for s in m.releasable_to} == {"agency:mx.semar"}
    assert m.caveats == {"NOFORN"} and m.legal_basis == "agr-1"
    assert m.expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert banner(m).startswith("TLP:AMBER+STRICT // REL TO agency:mx.semar // ORCON")


def test_public_inputs_make_a_public_product() -> None:
    assert product_marking([]).tlp is Tlp.CLEAR
    assert product_marking([Marking.build("CLEAR")]).tlp is Tlp.CLEAR
    assert product_marking([C, Marking.build("CLEAR")]).tlp is Tlp.GREEN


def test_different_bases_leave_none_and_red_keeps_units_only() -> None:
    red = Marking.build("RED", ["unit:mx.semar.uie"], legal_basis="agr-2")
    m = product_marking([A, red])
    assert m.tlp is Tlp.RED and m.legal_basis is None and not m.releasable_to


def test_confidence_follows_the_data_behind_a_judgment() -> None:
    assert confidence(24, 100) == "high"
    assert confidence(24, 99) == confidence(12, 20) == "moderate"
    assert confidence(11, 500) == "low"
