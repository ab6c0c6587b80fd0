"""Hyphen choices in a report's text (``trace/textmarks.py``)."""

from __future__ import annotations

from tearline.trace.fingerprint import Fingerprinter
from tearline.trace.textmarks import HYPHENS, agreement, contexts, observed, render, render_html

FP = Fingerprinter(b"k" * 32)
TEXT = " ".join(f"On 2024-{m:02d}-{d:02d} the year-on-year change of lot {m}-{d}0 was"
                for m in range(1, 13) for d in (3, 17))


def _plain(text: str) -> str:
    for h in HYPHENS[1:]:
        text = text.replace(h, "-")
    return text


def test_a_rendered_text_agrees_with_its_recipient_everywhere() -> None:
    out = render(FP, "unit:a.b", TEXT)
    assert _plain(out) == TEXT and out != TEXT
    found = observed(out)
    assert len(found) == 72  # two in each date, one in each lot number
    assert agreement(FP, "unit:a.b", found) == len(found)
    assert agreement(FP, "unit:c.d", found) < 0.6 * len(found)


def test_choices_survive_rewrapping_reordering_and_partial_copies() -> None:
    out = render(FP, "unit:a.b", TEXT)
    words = out.split()
    lines = [" ".join(words[i:i + 7]) for i in range(0, len(words), 7)]
    pasted = "\n".join(reversed(lines[len(lines) // 3:]))
    part = observed(pasted)
    assert len(part) > 20 and agreement(FP, "unit:a.b", part) == len(part)


def test_identifiers_keep_their_hyphens() -> None:
    text = ("agreement mx.semar-2 agr:tri-1 dea-p-7 TL-AAAA-BBBB-CCCC a-b 2024-05-01T10:00Z"
            " and (2024-05-01), 12-3")
    assert [ctx for _, ctx in contexts(text)] == ["2024-05-01|0", "2024-05-01|1", "12-3|0"]


def test_markup_styles_scripts_and_verbatim_elements_are_left_alone() -> None:
    html = ('<html><style>a-b { font-family: x-y }</style><p class="a-b">2024-05-01</p>'
            '<div data-verbatim>agr-tri 2024-05-01</div><script>x-y</script></html>')
    for who in ("unit:a.b", "unit:c.d", "unit:e.f", "unit:g.h"):
        out = render_html(FP, who, html)
        assert '<style>a-b { font-family: x-y }</style><p class="a-b">' in out
        assert "<div data-verbatim>agr-tri 2024-05-01</div><script>x-y</script>" in out
        assert _plain(out) == html
