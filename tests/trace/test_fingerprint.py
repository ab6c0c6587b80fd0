"""Copy marks and keyed orders (``trace/fingerprint.py``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tearline.trace.fingerprint import MARK_PATTERN, Fingerprinter, marks_in, order_agreement

FP = Fingerprinter(bytes(range(32)))
OTHER = Fingerprinter(bytes(range(1, 33)))
RECIPIENTS = ("unit:mx.semar.uie", "unit:mx.fgr.aic", "unit:mx.sspc.gn")


def test_a_mark_is_the_recipients_on_every_release_and_no_one_elses() -> None:
    marks = {FP.mark(r, c) for r in RECIPIENTS for c in ("json", "csv", "taxii", "report")}
    assert len(marks) == 12
    assert all(MARK_PATTERN.fullmatch(m) for m in marks)
    assert FP.mark(RECIPIENTS[0], "json") == FP.mark(RECIPIENTS[0], "json")
    assert OTHER.mark(RECIPIENTS[0], "json") != FP.mark(RECIPIENTS[0], "json")


def test_marks_are_found_in_any_text_once_each() -> None:
    mark = FP.mark(RECIPIENTS[1], "csv")
    text = f'{{"copy": "{mark}"}}\nrow,{mark}\nTL-AAAA-AAAA\n'
    assert marks_in(text) == [mark]


def test_the_secret_is_never_printed() -> None:
    assert "0, 1, 2" not in repr(FP) and "\\x00" not in repr(FP)


ids = st.lists(st.text("abcdef0123456789", min_size=4, max_size=8), min_size=2, max_size=12,
               unique=True)


@given(ids, ids)
def test_hidden_items_never_move_the_visible_ones(visible: list[str], hidden: list[str]) -> None:
    """Noninterference: the recipient's order of what it sees is the same whatever else
    the record holds."""
    both = visible + [h for h in hidden if h not in visible]
    seen = set(visible)
    alone = FP.order(RECIPIENTS[0], "rec-1", visible, key=str)
    among = [i for i in FP.order(RECIPIENTS[0], "rec-1", both, key=str) if i in seen]
    assert alone == among


def test_a_copy_agrees_with_its_recipient_at_every_pair_and_with_others_at_chance() -> None:
    items = [f"st-{n:040x}" for n in range(40)]
    mine = FP.order(RECIPIENTS[0], "rec-1", items, key=str)
    agree, pairs = order_agreement(FP, RECIPIENTS[0], "rec-1", mine)
    assert (agree, pairs) == (39, 39)
    other_agree, _ = order_agreement(FP, RECIPIENTS[1], "rec-1", mine)
    assert 8 <= other_agree <= 31
