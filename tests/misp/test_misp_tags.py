"""Markings as MISP tags and distribution levels (``misp/tags.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.errors import MarkingError
from tearline.misp.tags import ALL, COMMUNITY, ORGANISATION, distribution, marking_tags, read_tags
from tearline.model.marking import Marking, Tlp

SELECTORS = ("agency:mx.semar", "agency:mx.fgr", "unit:mx.semar.uie", "vetted-by:us.dea")


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    tlp = draw(st.sampled_from(list(Tlp)))
    rel = draw(st.sets(st.sampled_from(SELECTORS[2:3] if tlp is Tlp.RED else SELECTORS)))
    orcon = tlp not in (Tlp.CLEAR, Tlp.GREEN) and draw(st.booleans())
    basis = draw(st.sampled_from([None, "us-mx/framework-2021", 'acuerdo "MX" 2024']))
    caveats = draw(st.sets(st.sampled_from(["NOFORN", "LES", "FOUO"])))
    expires = draw(st.sampled_from([None, datetime(2027, 3, 1, 12, tzinfo=UTC)]))
    return Marking.build(tlp, rel, orcon=orcon, legal_basis=basis, caveats=caveats,
                         expires_at=expires)


@given(markings())
def test_tags_give_back_the_marking(marking: Marking) -> None:
    tags = marking_tags(marking)
    assert tags[0] == f"tlp:{marking.tlp.value.lower()}"
    assert read_tags(reversed(tags)) == marking


@given(markings(), markings())
def test_distribution_is_never_wider_than_a_marking_allows(a: Marking, b: Marking) -> None:
    both = distribution(a, b)
    assert both <= distribution(a) and both <= distribution(b)
    if Tlp.AMBER.rank <= max(a.tlp.rank, b.tlp.rank):
        assert both == ORGANISATION


def test_distribution_per_level() -> None:
    assert [distribution(Marking.build(t)) for t in Tlp] == [
        ALL, COMMUNITY, ORGANISATION, ORGANISATION, ORGANISATION]


def test_tlp_white_is_clear_and_other_tags_are_not_markings() -> None:
    assert read_tags(["tlp:white", "misp-galaxy:mitre-attack-pattern=\"x\""]) == Marking.build(
        "CLEAR")
    assert read_tags(["osint:source-type=\"blog-post\""]) is None


@pytest.mark.parametrize("tags", [["tlp:amber", "PAP:RED"], ["tlp:purple"],
                                  ["tlp:amber", 'tearline:owner="x"'], ["tearline:orcon"]])
def test_a_control_tag_tearline_cannot_read_is_refused(tags: list[str]) -> None:
    with pytest.raises(MarkingError):
        read_tags(tags)
