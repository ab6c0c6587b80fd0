"""Inferred links: a person and the organization named after their two surnames.

OFAC often designates a family trafficking organization together with its leaders
(``BELTRAN LEYVA, Marcos Arturo`` is entry 10899, ``BELTRAN LEYVA ORGANIZATION``
entry 10900) without writing ``Linked To`` on either row. The published list does
not state the relationship, so tearline does not present it as stated: it is an
**inference**, kept apart from the stated links in every way a reader can see:

- its own id prefix, ``ofac-inferred-<person>-<organization>`` (stated links are
  ``ofac-link-…``);
- the ``role`` :data:`INFERRED_ROLE`, and a ``description`` giving the rule;
- a lower information credibility (Admiralty 3, "possibly true",
  :data:`INFERRED_CREDIBILITY`) on each of its statements, where the stated facts
  of the list carry the importer's grading (1, "confirmed").

Decision (the rule, deliberately narrow; every part must hold):

1. the person's surnames are exactly two words (``BELTRAN LEYVA``; a single surname
   such as ``HASSAN`` or ``ZHENG`` names too many unrelated people);
2. the organization is listed as ``<surnames> ORGANIZATION`` or
   ``<surnames> DRUG TRAFFICKING ORGANIZATION``, with the same words;
3. both share a sanctions program;
4. they were designated together: their entry numbers (assigned in designation
   order) differ by at most :data:`ADJACENT`;
5. no stated ``Linked To`` already joins them (in either direction).

On the 2024-05-03 list this yields a handful of links, pinned by a test; relatives
designated years apart (``BELTRAN LEYVA, Alfredo``, entry 11725) are not linked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tearline.ingest.ofac import LINK_ROLE, OfacEntry
from tearline.model.grading import Credibility
from tearline.model.schema import get_model

INFERRED_ROLE = "inferred: namesake organization (not stated by OFAC)"
INFERRED_CREDIBILITY = Credibility.POSSIBLY_TRUE
#: Largest difference of entry numbers counted as "designated together".
ADJACENT = 10
SUFFIXES = (" DRUG TRAFFICKING ORGANIZATION", " ORGANIZATION")
DESCRIPTION = (
    "Inferred by tearline, not stated by OFAC: the person's two surnames name this "
    "organization, both share a sanctions program, and their entries were designated "
    "together (entry numbers {a} and {b}). Graded credibility 3 (possibly true)."
)


def _namesake(org_name: str) -> str | None:
    """``BELTRAN LEYVA ORGANIZATION`` → ``beltran leyva``; ``None`` for other names."""
    upper = " ".join(org_name.split()).upper()
    for suffix in SUFFIXES:
        if upper.endswith(suffix):
            words = upper.removesuffix(suffix).split()
            return " ".join(words).casefold() if len(words) == 2 else None
    return None


def _stated_pairs(entries: Sequence[OfacEntry]) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for entry in entries:
        for proxy in entry.proxies:
            if proxy.schema.name == "UnknownLink" and LINK_ROLE in proxy.get("role"):
                for subject in proxy.get("subject"):
                    for obj in proxy.get("object"):
                        pairs.add(frozenset((subject, obj)))
    return pairs


def inferred_link(person: OfacEntry, organization: OfacEntry) -> Any:
    """The UnknownLink entity of one inferred person → organization relationship."""
    link = get_model().make_entity("UnknownLink")
    a, b = person.ent_num, organization.ent_num
    link.id = f"ofac-inferred-{a}-{b}"
    link.add("subject", person.entity.id)
    link.add("object", organization.entity.id)
    link.add("role", INFERRED_ROLE)
    link.add("description", DESCRIPTION.format(a=a, b=b))
    return link


def infer_namesake_links(entries: Sequence[OfacEntry]) -> list[Any]:
    """Inferred person → namesake-organization links among ``entries`` (rule above)."""
    organizations: dict[str, list[OfacEntry]] = {}
    for entry in entries:
        if entry.entity.schema.name == "Organization":
            key = _namesake(entry.name)
            if key is not None:
                organizations.setdefault(key, []).append(entry)
    stated = _stated_pairs(entries)
    links: list[Any] = []
    for person in entries:
        if person.entity.schema.name != "Person":
            continue
        for surnames in person.entity.get("lastName"):
            words = surnames.split()
            if len(words) != 2:
                continue
            for org in organizations.get(" ".join(words).casefold(), ()):
                if (
                    set(person.programs) & set(org.programs)
                    and abs(int(person.ent_num) - int(org.ent_num)) <= ADJACENT
                    and frozenset((person.entity.id, org.entity.id)) not in stated
                ):
                    links.append(inferred_link(person, org))
    return sorted(links, key=lambda link: str(link.id))
