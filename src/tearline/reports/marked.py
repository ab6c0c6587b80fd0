"""A report's copy for one recipient: its copy mark and its text choices.

A report that is not public (its marking above TLP:CLEAR) prints its recipient's copy
mark in the footer of every page, and its text is rendered with the recipient's
hyphen choices (:mod:`tearline.trace.textmarks`), both of which survive copying the
text out of the HTML or the PDF. A public report carries neither: a copy of it says
nothing about who leaked it. The edge that writes the report logs the copy
(``trace.copy``, channel ``report``).

The words the template prints around the data (labels) are given here, in English,
marked for translation, so that the template holds structure only.
"""

from __future__ import annotations

from dataclasses import dataclass

from tearline.model.marking import Marking, Tlp
from tearline.reports.products import N_
from tearline.trace.fingerprint import Fingerprinter
from tearline.trace.textmarks import render_html


@dataclass(frozen=True, slots=True)
class ReportCopy:
    fp: Fingerprinter
    recipient: str  # the subject the report is made for, e.g. "unit:mx.semar.uie"

    @property
    def mark(self) -> str:
        return self.fp.mark(self.recipient, "report")

    def mark_for(self, marking: Marking) -> str | None:
        """The copy mark a report under ``marking`` prints (none for a public one)."""
        return None if marking.tlp is Tlp.CLEAR else self.mark


def mark_html(html: str, copy: ReportCopy | None, marking: Marking) -> str:
    """``html`` with the recipient's text choices, unless public or for no one."""
    if copy is None or marking.tlp is Tlp.CLEAR:
        return html
    return render_html(copy.fp, copy.recipient, html)


def labels() -> dict[str, str]:
    """The words of the product's frame (banner, pages, key judgments), for the template."""
    return {
        "page": N_("page"),
        "of": N_("of"),
        "copy_word": N_("copy"),
        "date": N_("date"),
        "key_judgments": N_("Key judgments"),
        "marking": N_("Marking"),
    }
