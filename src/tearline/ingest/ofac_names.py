"""Person names as OFAC lists them: ``SURNAMES, Given Names``.

``BELTRAN LEYVA, Marcos Arturo`` becomes:

- ``name`` ``Marcos Arturo BELTRAN LEYVA`` — given names first, the natural order
  in Spanish and English. Letter case is kept as listed: OFAC's capitals mark the
  surnames, and re-casing is lossy (``McDONALD``, ``DE LA CRUZ``, ``AL-ASSAD``);
  matching is case-insensitive anyway.
- ``firstName`` ``Marcos`` and ``middleName`` ``Arturo`` (the given names after
  the first), ``lastName`` ``BELTRAN LEYVA`` — both Spanish surnames together.
  FollowTheMoney's ``fatherName``/``motherName`` are a patronymic and a
  matronymic (names derived from a parent's *given* name, as in Russian), not the
  paternal and maternal surnames of Spanish naming, so they are not used; and
  which words of a surname group form the first surname cannot be known from the
  text alone (``DE LA CRUZ LOPEZ``), so the group is not split.
- ``alias`` ``BELTRAN LEYVA, Marcos Arturo`` — the listed form is kept when it
  differs, since other systems search the list in that form.

A name without a comma (some individuals are listed by a single name) is used as
it is, with no name parts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PersonName:
    """The parts of one listed person name."""

    listed: str
    full: str
    first: str | None = None
    middle: str | None = None
    last: str | None = None


def split_person_name(listed: str) -> PersonName:
    """Split ``SURNAMES, Given Names`` (see the module docstring)."""
    listed = " ".join(listed.split())
    surnames, comma, given = listed.partition(",")
    surnames, given = surnames.strip(), given.strip(" ,")
    if not comma or not surnames or not given:
        return PersonName(listed=listed, full=listed.strip(" ,"))
    given_parts = given.split()
    return PersonName(
        listed=listed,
        full=f"{given} {surnames}",
        first=given_parts[0],
        middle=" ".join(given_parts[1:]) or None,
        last=surnames,
    )
