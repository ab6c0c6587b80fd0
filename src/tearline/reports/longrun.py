"""The long-run context of an assessment: UNODC's annual seizures in Mexico and the U.S.

UNODC publishes seizures by country, drug and year (kilograms equivalent, 1970–2019
in the reference file). The assessment shows, for its drug, the two countries of the
border year by year: public figures, the same for every unit, shown apart from the
records and never added to them.

UNODC's drug list is not tearline's: :data:`UNODC_DRUGS` says which UNODC drugs stand
for each of tearline's. UNODC has no fentanyl category; fentanyl falls under the
opioids, and the closest series are "Pharmaceutical opioids" and "Other illicit
opioids" (which also hold other opioids: the figure is an upper bound's context, not
a fentanyl count). A year a country did not report is shown as missing, not as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from tearline.sources.unodc import UnodcRow, annual_totals

UNODC_DRUGS: dict[str, tuple[str, ...]] = {
    "fentanyl": ("Pharmaceutical opioids", "Other illicit opioids"),
    "methamphetamine": ("Methamphetamine",),
    "cocaine": ("Cocaine (base, paste and salts)", "Cocaine salts", "Coca paste/cocaine base",
                "Crack", "Non-specified cocaine"),
    "heroin": ("Heroin",),
    "marijuana": ("Marijuana (herb)",),
    "ecstasy": ("Ecstasy-type substances",),
    "ketamine": ("Ketamine and phencyclidine-type substances",),
    "lsd": ("LSD",),
}  # fmt: skip
#: The countries shown: (ISO 3166-1 alpha-3, name).
COUNTRIES: tuple[tuple[str, str], ...] = (("MEX", "Mexico"), ("USA", "United States"))
#: The countries' ISO 3166-1 alpha-2 codes, to name them in a report's language.
ALPHA2: dict[str, str] = {"Mexico": "MX", "United States": "US"}


@dataclass(frozen=True, slots=True)
class LongRun:
    drug: str
    unodc_drugs: tuple[str, ...]
    years: tuple[int, ...]
    kg: dict[str, tuple[float | None, ...]]  # country name → per year; None: not reported

    def to_dict(self) -> dict[str, object]:
        return {
            "drug": self.drug,
            "unodc_drugs": list(self.unodc_drugs),
            "years": list(self.years),
            "kg": {country: list(values) for country, values in self.kg.items()},
        }


def long_run(rows: tuple[UnodcRow, ...], drug: str) -> LongRun | None:
    """The yearly kilograms of ``drug`` in Mexico and the U.S.; None if UNODC has no
    series for that drug or neither country reported it."""
    names = UNODC_DRUGS.get(drug.lower())
    if names is None:
        return None
    per_country: dict[str, dict[int, float]] = {}
    for iso3, country in COUNTRIES:
        years: dict[int, float] = {}
        for name in names:
            for (year, _, _), kg in annual_totals(rows, iso3=iso3, drug=name).items():
                years[year] = years.get(year, 0.0) + kg
        per_country[country] = years
    seen = [y for years in per_country.values() for y in years]
    if not seen:
        return None
    span = tuple(range(min(seen), max(seen) + 1))
    return LongRun(
        drug=drug.lower(),
        unodc_drugs=names,
        years=span,
        kg={country: tuple(years.get(y) for y in span) for country, years in per_country.items()},
    )
