"""What makes an assessment a marked product: its marking, its banner, its key judgments.

**Marking.** A product carries the most restrictive marking of the inputs it used
(:func:`product_marking`): the highest TLP level, ORCON if any input is, every caveat
of every input, the releasability every input allows (the selectors all marked inputs
name; none left means the product stays with whoever it was made for), the legal basis
the inputs citing one share (none if they differ), and the earliest expiry. Published aggregates are
public (TLP:CLEAR) and never raise it; a product of public inputs only is TLP:CLEAR.

**Key judgments** (:func:`key_judgments`), on page 1, in the confidence language of
ICD 203: *we assess with low / moderate / high confidence that …*. The confidence
states how much data stands behind a judgment — months of data and seizure events —
never a probability: high with at least 24 months and 100 events, moderate with 12
months and 20 events, low below. A judgment keeps its sentence marked (:func:`tr`):
it reads in English (the JSON's ``key_judgments``, data the same in every language) and
is said in the report's language by :meth:`KeyJudgment.said`, the drug and the
confidence level in that language's words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tearline.errors import Text, tr
from tearline.i18n.messages import say
from tearline.i18n.vocabulary import label
from tearline.model.marking import Marking, Selector, Tlp
from tearline.reports.figures import Figures


def N_(text: str) -> str:  # noqa: N802 - Babel's keyword for a string marked, not translated
    """Marks ``text`` for the message catalogs; translated where it is shown."""
    return text


PUBLIC = Marking.build("CLEAR")


def product_marking(markings: Iterable[Marking]) -> Marking:
    """The most restrictive combination of ``markings`` (TLP:CLEAR for none)."""
    marks = list(markings)
    if not marks:
        return PUBLIC
    tlp = max((m.tlp for m in marks), key=lambda t: t.rank)
    named = [m.releasable_to for m in marks if m.releasable_to]
    common: frozenset[Selector] = frozenset.intersection(*named) if named else frozenset()
    if tlp is Tlp.RED:
        common = frozenset(s for s in common if str(s).startswith("unit:"))
    bases = {m.legal_basis for m in marks if m.legal_basis}
    expiries = [m.expires_at for m in marks if m.expires_at is not None]
    return Marking(
        tlp=tlp,
        releasable_to=common,
        orcon=any(m.orcon for m in marks) and tlp not in (Tlp.CLEAR, Tlp.GREEN),
        legal_basis=bases.pop() if len(bases) == 1 else None,
        caveats=frozenset().union(*(m.caveats for m in marks)),
        expires_at=min(expiries) if expiries else None,
    )


def banner(marking: Marking) -> str:
    """The dissemination banner printed at the top and bottom of every page."""
    return str(marking)


Confidence = str  # "low" | "moderate" | "high"


#: The words of a judgment's values that are vocabulary (drug, confidence level).
_WORDS = {"drug": "drug", "level": "confidence"}


@dataclass(frozen=True, slots=True)
class KeyJudgment:
    confidence: Confidence
    text: str  # the whole sentence, confidence language included (a marked Text)

    def to_dict(self) -> dict[str, str]:
        return {"confidence": self.confidence, "text": str.__str__(self.text)}

    def said(self, locale: str) -> str:
        """The sentence in ``locale``: its template translated, the drug and the
        confidence level in that language's words, the other values as they are."""
        if not isinstance(self.text, Text):
            return say(self.text, locale)
        values = {name: label(_WORDS[name], str(value), locale) if name in _WORDS else value
                  for name, value in self.text.values.items()}
        return say(Text(self.text.template, values), locale)


def confidence(months: int, events: int) -> Confidence:
    if months >= 24 and events >= 100:
        return "high"
    if months >= 12 and events >= 20:
        return "moderate"
    return "low"


def _kg(v: float) -> str:
    return f"{v:,.1f}"


def key_judgments(records: Figures, drug: str, generated_at: datetime) -> list[KeyJudgment]:
    """The judgments page 1 states, from the records' figures (never the aggregates')."""
    months = len(records.trend.months)
    level = confidence(months, records.events)
    out: list[KeyJudgment] = []
    if records.events == 0:
        return [KeyJudgment("low", tr("We cannot assess {drug} seizures: no seizure record in "
                                      "the period is visible to this product's recipient.",
                                      drug=drug))]
    slope = records.trend.slope_pct_of_mean_per_year
    if slope is not None:
        direction = (tr("increased") if slope > 10 else tr("decreased") if slope < -10
                     else tr("remained broadly stable"))
        out.append(KeyJudgment(level, tr(
            "We assess with {level} confidence that {drug} seizures {direction} over the "
            "period ({months} months from {first} to {last}, {events} seizure events, trend "
            "{slope:+.0f}% of the monthly mean per year).",
            level=level, drug=drug, direction=direction, months=months,
            first=records.trend.months[0].isoformat()[:7],
            last=records.trend.months[-1].isoformat()[:7], events=records.events,
            slope=slope)))
    if records.origins is not None and records.origins.figures:
        top = max(records.origins.figures, key=lambda f: (f.kg, f.origin))
        if top.kg > 0:
            out.append(KeyJudgment(level, tr(
                "We assess with {level} confidence that {origin} was the leading origin of "
                "the {drug} seized among those compared ({kg} kg, {share:.0%} of the "
                "compared weight).", level=level, origin=top.origin.upper(), drug=drug,
                kg=_kg(top.kg), share=top.share_of_compared)))
    changes = [c for c in records.change if c.change_pct is not None]
    if changes:
        last = changes[-1]
        out.append(KeyJudgment(level, tr(
            "We assess with {level} confidence that {drug} seized in {year} changed by "
            "{pct:+.0f}% against the year before ({kg} kg).",
            level=level, drug=drug, year=last.year, pct=last.change_pct, kg=_kg(last.kg))))
    out.append(KeyJudgment(level, tr(
        "Confidence reflects the data behind these figures ({months} months, {events} "
        "events as of {day}), not the probability of an event.",
        months=months, events=records.events, day=generated_at.date().isoformat())))
    return out
