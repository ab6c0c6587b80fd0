"""Markings on the wire: TLP 2.0 marking definitions plus the tearline marking extension.

A tearline :class:`~tearline.model.marking.Marking` becomes the list of
``marking-definition`` ids an object refers to:

* always the standard TLP 2.0 marking-definition of its level, with the fixed ids
  the OASIS CTI TC published (extension ``extension-definition--60a3c5c5-…``), so any
  STIX consumer recognises the level;
* and, when the marking says more than its TLP level (``releasable_to``, ORCON, legal
  basis, caveats, expiry), a content-addressed ``marking-definition`` carrying the
  tearline marking extension. Its id is a UUIDv5 of :attr:`Marking.id`, so equal
  markings have equal ids on every node.

Reading back, the tearline marking wins when present; otherwise the most restrictive
TLP level among the refs; TLP 1.0 ids (``TLP:WHITE`` …) are read as TLP 2.0 prescribes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from tearline.errors import MarkingError, tr
from tearline.model.marking import Marking, Tlp, parse_timestamp
from tearline.stix.extensions import MARKING_EXTENSION_ID, TEARLINE_IDENTITY_ID
from tearline.stix.ids import EPOCH, format_time, stix_id

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
#: The TLP 2.0 marking-definition ids published by the OASIS CTI TC.
TLP2_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
#: The TLP 1.0 marking-definition ids predefined by STIX 2.1 (section 7.2.1.4).
TLP1_IDS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}
TLP_BY_ID: dict[str, Tlp] = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}
#: What tearline assumes for foreign STIX that carries no marking it recognises.
DEFAULT_FOREIGN = Marking.build(Tlp.AMBER_STRICT)


def tlp_definition(tlp: Tlp) -> dict[str, Any]:
    """The standard TLP 2.0 marking-definition object, exactly as OASIS publishes it."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[tlp],
        "created": TLP2_CREATED,
        "name": f"TLP:{tlp.value}",
        "extensions": {
            TLP2_EXTENSION_ID: {"extension_type": "property-extension",
                                "tlp_2_0": tlp.value.lower()},
        },
    }


_PLAIN: dict[Tlp, Marking] = {tlp: Marking.build(tlp) for tlp in Tlp}


def is_plain(marking: Marking) -> bool:
    """Does the TLP level alone say everything the marking says?"""
    return marking == _PLAIN[marking.tlp]


def tearline_definition_id(marking: Marking) -> str:
    return stix_id("marking-definition", f"marking:{marking_id(marking)}")


@lru_cache(maxsize=4096)
def marking_id(marking: Marking) -> str:
    """:attr:`Marking.id`, remembered: it serialises and hashes the marking, and a
    bundle asks it of the same few markings once per record and portion."""
    return marking.id


def tearline_definition(marking: Marking) -> dict[str, Any]:
    """The content-addressed marking-definition carrying the tearline marking extension."""
    ext: dict[str, Any] = {
        "extension_type": "property-extension",
        "tlp": marking.tlp.value.lower(),
        "orcon": marking.orcon,
    }
    if marking.releasable_to:  # STIX forbids empty lists
        ext["releasable_to"] = sorted(str(s) for s in marking.releasable_to)
    if marking.caveats:
        ext["caveats"] = sorted(marking.caveats)
    if marking.legal_basis is not None:
        ext["legal_basis"] = marking.legal_basis
    if marking.expires_at is not None:
        ext["expires_at"] = format_time(marking.expires_at)
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tearline_definition_id(marking),
        "created_by_ref": TEARLINE_IDENTITY_ID,
        "created": format_time(EPOCH),
        "name": f"tearline: {marking}"[:250],
        "extensions": {MARKING_EXTENSION_ID: ext},
    }


def marking_refs(marking: Marking) -> list[str]:
    return list(_marking_refs(marking))  # a fresh list: the caller puts it in an object


@lru_cache(maxsize=4096)
def _marking_refs(marking: Marking) -> tuple[str, ...]:
    if is_plain(marking):
        return (TLP2_IDS[marking.tlp],)
    return TLP2_IDS[marking.tlp], tearline_definition_id(marking)


def marking_objects(marking: Marking) -> list[dict[str, Any]]:
    out = [tlp_definition(marking.tlp)]
    if not is_plain(marking):
        out.append(tearline_definition(marking))
    return out


def marking_from_extension(ext: Mapping[str, Any]) -> Marking:
    """The marking a tearline marking extension carries; :class:`MarkingError` if malformed."""
    if not isinstance(ext, Mapping):
        raise MarkingError(tr("the tearline marking extension must be an object"))
    unknown = set(ext) - {"extension_type", "tlp", "releasable_to", "orcon", "legal_basis",
                          "caveats", "expires_at"}
    if unknown:
        raise MarkingError(tr(
            "unknown tearline marking fields: {unknown}", unknown=', '.join(sorted(unknown))))
    data = {k: v for k, v in ext.items() if k != "extension_type"}
    expires = data.get("expires_at")
    if expires is not None:
        data["expires_at"] = format_time(parse_timestamp(expires))
    return Marking.from_dict(data)


def read_marking(refs: Iterable[str], tearline_markings: Mapping[str, Marking]) -> Marking | None:
    """The marking named by a list of marking-definition refs; ``None`` if none is known.

    ``tearline_markings`` maps the ids of tearline marking-definitions (read from the
    bundle) to their markings.
    """
    refs = list(refs)
    for ref in refs:
        if ref in tearline_markings:
            return tearline_markings[ref]
    levels = [TLP_BY_ID[ref] for ref in refs if ref in TLP_BY_ID]
    if not levels:
        return None
    return _PLAIN[max(levels, key=lambda t: t.rank)]  # immutable, so shared
