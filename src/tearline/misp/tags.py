"""Markings as MISP tags and distribution levels.

A marking becomes MISP tags: its TLP level from MISP's ``tlp`` taxonomy
(``tlp:clear`` … ``tlp:red``, ``tlp:amber+strict``), and what it says beyond the level
as machine tags of tearline's namespace — ``tearline:releasable-to="agency:mx.semar"``
per selector, ``tearline:orcon``, ``tearline:legal-basis="<agreement>"``,
``tearline:caveat="<caveat>"``, ``tearline:expires-at="<RFC 3339>"``. Read back, they
give the same marking; ``tlp:white`` is read as CLEAR (TLP 1.0, as TLP 2.0 says).

MISP's distribution decides how far a MISP instance passes data on by itself, so it
is derived from the marking and never wider: CLEAR → 3 (all communities), GREEN → 1
(this community only), AMBER, AMBER+STRICT and RED → 0 (your organisation only). A
release to named partners is not a MISP sharing group tearline could know of: the
receiving organisation keeps it, and the tags say to whom it may go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tearline.errors import MarkingError, tr
from tearline.model.marking import Marking, Tlp, parse_timestamp

NAMESPACE = "tearline"
#: MISP distribution levels.
ORGANISATION, COMMUNITY, CONNECTED, ALL = 0, 1, 2, 3
DISTRIBUTION = {Tlp.CLEAR: ALL, Tlp.GREEN: COMMUNITY, Tlp.AMBER: ORGANISATION,
                Tlp.AMBER_STRICT: ORGANISATION, Tlp.RED: ORGANISATION}
_MACHINE = re.compile(r'^tearline:([a-z-]+)(?:="(.*)")?$', re.S)
#: Namespaces of dissemination controls: a tag in one of them that tearline cannot
#: read is refused rather than dropped (dropping it would widen the marking).
CONTROL_NAMESPACES = ("tlp:", "pap:", "tearline:")


def tlp_tag(tlp: Tlp) -> str:
    return f"tlp:{tlp.value.lower()}"


def marking_tags(marking: Marking) -> list[str]:
    """The MISP tags of a marking, TLP first."""
    tags = [tlp_tag(marking.tlp)]
    tags += [f'{NAMESPACE}:releasable-to="{s}"' for s in sorted(marking.releasable_to)]
    if marking.orcon:
        tags.append(f"{NAMESPACE}:orcon")
    if marking.legal_basis is not None:
        tags.append(f'{NAMESPACE}:legal-basis="{marking.legal_basis}"')
    tags += [f'{NAMESPACE}:caveat="{c}"' for c in sorted(marking.caveats)]
    if marking.expires_at is not None:
        stamp = marking.expires_at.isoformat().replace("+00:00", "Z")
        tags.append(f'{NAMESPACE}:expires-at="{stamp}"')
    return tags


def distribution(*markings: Marking) -> int:
    """The widest MISP distribution every one of ``markings`` allows."""
    return min(DISTRIBUTION[m.tlp] for m in markings)


def is_control(tag: str) -> bool:
    return tag.lower().startswith(CONTROL_NAMESPACES)


def read_tags(tags: Iterable[str]) -> Marking | None:
    """The marking ``tags`` carry (``None`` if they carry no TLP level).

    Tags outside the control namespaces are not markings and are ignored; a control tag
    tearline cannot read raises :class:`MarkingError` naming it.
    """
    levels: list[Tlp] = []
    rel: list[str] = []
    caveats: list[str] = []
    orcon, basis, expires = False, None, None
    for tag in tags:
        low = tag.lower()
        if low.startswith("tlp:"):
            try:
                levels.append(Tlp.parse(low.removeprefix("tlp:")))
            except MarkingError:
                raise MarkingError(tr(
                    "tag {tag!r}: not a TLP level tearline knows", tag=tag)) from None
            continue
        if not low.startswith(f"{NAMESPACE}:"):
            if is_control(tag):
                raise MarkingError(tr(
                    "tag {tag!r}: a dissemination control tearline cannot read (refused rather "
                    "than dropped)", tag=tag))
            continue
        found = _MACHINE.match(tag)
        key, value = (found.group(1), found.group(2)) if found else ("", None)
        if key == "orcon" and value is None:
            orcon = True
        elif key == "releasable-to" and value:
            rel.append(value)
        elif key == "legal-basis" and value:
            basis = value
        elif key == "caveat" and value:
            caveats.append(value)
        elif key == "expires-at" and value:
            expires = parse_timestamp(value)
        else:
            raise MarkingError(tr("tag {tag!r}: not a tearline marking tag", tag=tag))
    if not levels:
        if rel or orcon or basis or caveats or expires:
            raise MarkingError(tr("tearline marking tags without a TLP tag"))
        return None
    return Marking.build(max(levels, key=lambda t: t.rank), rel, orcon=orcon,
                         legal_basis=basis, caveats=caveats, expires_at=expires)
