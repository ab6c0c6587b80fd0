"""Details one list holds and the other lacks (resolve/expected.py), measured per run."""

from __future__ import annotations

from tearline.resolve.decide import Decision, Judged, settle
from tearline.resolve.expected import SAMPLE, lacking, measure
from tearline.resolve.model import link
from tearline.resolve.records import PersonRecord, person

GIVEN = ("Alfredo", "Beatriz", "Cecilio", "Dolores", "Ernesto", "Fabiola", "Gilberto",
         "Hortensia", "Ignacio", "Josefina", "Leonardo", "Marisol", "Norberto", "Ofelia",
         "Porfirio", "Rosalía", "Saúl", "Tomasa", "Ubaldo", "Valeria", "Wenceslao", "Yadira")
SURNAMES = ("Aguirre", "Barajas", "Corona", "Durán", "Escobar", "Fierro", "Galindo",
            "Huerta", "Ibarra", "Jaramillo", "Lozano", "Macías", "Nava", "Orozco", "Peña",
            "Quiroz", "Rentería", "Solís", "Tapia", "Urías", "Valle", "Zamora")


def _agreeing(n: int, *, shared: int) -> tuple[list[PersonRecord], list[PersonRecord]]:
    """n people in both lists, name and date of birth alike, each with a passport on
    the left; the right list holds it for the first ``shared`` of them."""
    left, right = [], []
    for i in range(n):
        name = f"{GIVEN[i]} {SURNAMES[i]} {SURNAMES[-1 - i]}"
        born = f"19{50 + i}-03-1{i % 9}"
        left.append(person(f"a{i}", name, birth_date=born, passport=f"G{1000 + i}"))
        right.append(person(f"b{i}", name.upper(), birth_date=born,
                            passport=f"G{1000 + i}" if i < shared else ""))
    return left, right


def _judged(left: list[PersonRecord], right: list[PersonRecord]) -> list[Judged]:
    return [Judged(a.id, b.id, 0.999, Decision.MATCH, ("names agree", "dates of birth agree"))
            for a, b in zip(left, right, strict=True)]


def test_the_share_is_measured_on_pairs_with_name_and_date_agreeing() -> None:
    left, right = _agreeing(SAMPLE, shared=SAMPLE - 1)
    pairs = _judged(left, right)
    pairs.append(Judged("a0", "b1", 0.2, Decision.REVIEW, ("names agree",)))
    held = measure(pairs, {r.id: r for r in left}, {r.id: r for r in right})
    assert held.counts[("passport", "left")] == (SAMPLE, SAMPLE - 1)
    assert held.expected("passport", "left")
    assert not held.expected("passport", "right")  # no right passport without a left one


def test_a_detail_missing_counts_only_where_the_lists_hold_it_together() -> None:
    lone = person("x", "Ramón Quintana Ríos", passport="G777")
    other = person("y", "RAMON QUINTANA RIOS")
    for shared, n, fires in ((SAMPLE, SAMPLE, True), (SAMPLE // 2, SAMPLE, False),
                             (SAMPLE - 1, SAMPLE - 1, False)):
        left, right = _agreeing(n, shared=shared)
        pair = Judged("x", "y", 0.4, Decision.REVIEW, ("names agree", "sex agrees"))
        out = lacking([*_judged(left, right), pair], {r.id: r for r in [*left, lone]},
                      {r.id: r for r in [*right, other]})
        assert (("x", "y") in out) is fires, (shared, n)


def test_a_pair_lacking_an_expected_detail_is_not_accepted_on_names_alone() -> None:
    pair = Judged("x", "y", 0.4, Decision.REVIEW, ("names agree", "sex agrees"))
    why = "passport number on one record only, where the agreeing pairs hold it on both"
    out = settle([pair], lacking={("x", "y"): why})[0]
    assert out.decision is Decision.REVIEW and why in out.reasons
    assert settle([pair])[0].decision is Decision.MATCH


def test_link_measures_the_run_it_decides() -> None:
    left, right = _agreeing(SAMPLE, shared=SAMPLE)
    left.append(person("x", "Ramón Quintana Ríos", birth_date="1949-05-05", passport="G777"))
    right.append(person("y", "RAMON QUINTANA RIOS"))
    decided = {(p.left, p.right): p for p in link(left, right)}
    assert decided[("x", "y")].decision is Decision.REVIEW
    assert any("passport number on one record only" in r for r in decided[("x", "y")].reasons)
    assert all(decided[(f"a{i}", f"b{i}")].decision is Decision.MATCH for i in range(SAMPLE))
