"""The secrets: for a viewer, actions of others that the viewer may not learn about.

Each kind is a Hypothesis strategy of :class:`Case` (a viewer, what world B receives, and
what world A receives instead); ``canon.py`` holds each kind's canonical case. What is
hidden from whom comes from the tables of ``secrecy.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

from adversary.actions import Action, Activity, Amend, AskConsent, Create, Release, Remark
from adversary.cast import DEA_TO_MX, GREEN, SOD_ONLY, TEXTS, TRI
from adversary.secrecy import (
    DATES,
    FEMDO,
    HIDING,
    HOFD,
    NAMES,
    PN,
    PORTIONS,
    PROPS,
    SDFD,
    SEES,
    SOD,
    UIE,
    hidden,
    origin_of,
    red,
)
from tearline.demo import scenario as sc
from tearline.model.marking import Marking


@dataclass(frozen=True)
class Case:
    """World B: the base and ``actions``; world A: the base and ``instead`` — what the
    viewer may know of the same events (nothing, unless said)."""

    viewer: str
    actions: tuple[Action, ...]
    instead: tuple[Action, ...] = ()

    def __str__(self) -> str:
        said = f"viewer {self.viewer}; world B: " + "; ".join(map(str, self.actions))
        if self.instead:
            said += "; world A instead: " + "; ".join(map(str, self.instead))
        return said



def hiding(viewer: str, taxii: bool = False) -> Any:
    return st.sampled_from([e for e in HIDING if hidden(e, viewer, taxii)])


def schema_of(record_id: str) -> str:
    return "Seizure" if "-s-" in record_id else "Person"


@st.composite
def _person_props(draw: st.DrawFn) -> tuple[tuple[str, tuple[str, ...]], ...]:
    props: list[tuple[str, tuple[str, ...]]] = [("name", (draw(st.sampled_from(NAMES)),))]
    if draw(st.booleans()):
        props.append(("alias", (draw(st.sampled_from(("El Ratón", "El Mayo", "Chapito"))),)))
    if draw(st.booleans()):
        props.append(("idNumber", ("GULO900329",)))
    return tuple(props)


@st.composite
def hidden_record(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    unit, marking, _ = draw(hiding(viewer, taxii))
    if draw(st.booleans()):
        props = draw(_person_props())
        return Case(viewer, (Create(unit, "x-person", "Person", props, marking),))
    props = (("drug", ("fentanyl",)), ("date", ("2025-12-15",)),
             ("grossWeight", (draw(st.sampled_from(("900", "0.5"))),)),
             ("originCountry", (draw(st.sampled_from(("mx", "cn"))),)))
    return Case(viewer, (Create(unit, "x-seizure", "Seizure", props, marking),))


@st.composite
def hidden_portion(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """A portion the viewer may not see, on a record it sees: added later, or there from
    the record's creation (world A then creates the same record without it)."""
    if draw(st.booleans()):
        return draw(portion_at_creation(viewer))
    actor, marking, _ = draw(st.sampled_from([p for p in PORTIONS if viewer in p[2]]))
    own = sc.agency_of(actor)
    targets = [r for r in SEES[viewer] if r in SEES[actor]
               and (not taxii or origin_of(r) == sc.US_DEA)
               and (own == origin_of(r) or own != sc.US_DEA)]
    target = draw(st.sampled_from(targets))
    prop, values = draw(st.sampled_from(PROPS[schema_of(target)]))
    value = (draw(st.sampled_from(values)),)
    if own == origin_of(target):  # the originator's units mark a portion
        act = Amend(actor, target, ((prop, value),), portions=((prop, marking),))
    else:  # another agency's statements carry their own marking
        act = Amend(actor, target, ((prop, value),), marking=marking)
    return Case(viewer, (act,))


#: Values the API's filters look for (``paths_api.FILTERED``), by the schema holding them.
FILTERED_VALUES = {
    "Seizure": (("drug", ("cocaine", "heroin")), ("originCountry", ("co", "cn")),
                ("date", ("2024-06-01", "2025-11-20"))),
    "Person": (("nationality", ("co", "mx")), ("birthDate", ("1961-09-27", "1950-01-01"))),
}


@st.composite
def hidden_filtered(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """A portion the viewer may not see that holds a value a filter looks for (a drug, a
    country, a date), on a record the viewer sees: the record must answer every filter
    as if the value did not exist, and it changed nothing the viewer sees since."""
    actor, marking, _ = draw(st.sampled_from([p for p in PORTIONS if viewer in p[2]]))
    own = sc.agency_of(actor)
    targets = [r for r in SEES[viewer] if r in SEES[actor]
               and (own == origin_of(r) or own != sc.US_DEA)]
    target = draw(st.sampled_from(targets))
    prop, values = draw(st.sampled_from(FILTERED_VALUES[schema_of(target)]))
    value = (draw(st.sampled_from(values)),)
    if own == origin_of(target):
        return Case(viewer, (Amend(actor, target, ((prop, value),), portions=((prop, marking),)),))
    return Case(viewer, (Amend(actor, target, ((prop, value),), marking=marking),))


@st.composite
def hidden_value(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """The same hidden portion with another value in each world (finding 1: nothing the
    viewer gets may be a function of a value it may not see, such as a statement id)."""
    case = draw(hidden_portion(viewer, taxii).filter(lambda c: not c.instead))
    (act,) = case.actions
    assert isinstance(act, Amend)
    (prop, (value,)), = act.props
    other = draw(st.sampled_from([v for v in dict(PROPS[schema_of(act.id)])[prop]
                                  if v != value]))
    return Case(viewer, case.actions, (replace(act, props=((prop, (other,)),)),))


@st.composite
def portion_at_creation(draw: st.DrawFn, viewer: str) -> Case:
    unit, portion, _ = draw(st.sampled_from([p for p in PORTIONS if viewer in p[2]
                                             and sc.agency_of(p[0]) == sc.US_DEA]))
    shown = (("name", (draw(st.sampled_from(NAMES)),)), ("nationality", ("mx",)))
    prop, values = draw(st.sampled_from(PROPS["Person"]))
    mark = draw(st.sampled_from((GREEN, DEA_TO_MX)))
    made = Create(unit, "x-shared", "Person", (*shown, (prop, (draw(st.sampled_from(values)),))),
                  mark, ((prop, portion),))
    return Case(viewer, (made,), (Create(unit, "x-shared", "Person", shown, mark),))


@st.composite
def hidden_change(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """Only what the viewer cannot see changes: the RED birth date of a shared person, the
    RED net weight of a shared seizure, or a record that is hidden altogether."""
    options = (
        Amend(SOD, "dea-p-guzman", (("birthDate", (draw(st.sampled_from(DATES)),)),),
              portions=(("birthDate", SOD_ONLY),)),
        Remark(SOD, "dea-p-guzman", "birthDate", red(SOD, HOFD)),
        Amend(SOD, "dea-s-2", (("netWeight", ("2.95",)),), portions=(("netWeight", SOD_ONLY),)),
        Remark(SOD, "dea-s-2", "netWeight", red(SOD, HOFD)),
        Amend(SOD, "dea-p-red", (("alias", (draw(st.sampled_from(NAMES)),)),)),
        Remark(SOD, "dea-p-red", None, red(SOD, HOFD)),
    )
    picked = draw(st.lists(st.sampled_from(options), min_size=1, max_size=2, unique=True))
    return Case(viewer, tuple(picked))


@st.composite
def hidden_reference(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """Records that visible ones name (a Note's entity, a link's end, an address) are
    created hidden; an Associate the viewer could read but whose other end is hidden."""
    unit, marking, _ = draw(hiding(viewer, taxii))
    acts: list[Action] = [Create(unit, "x-hidden", "Person", (("name", ("Socio Oculto",)),),
                                 marking)]
    shown = draw(st.sampled_from((GREEN, DEA_TO_MX)))
    acts.append(Create(SOD, "x-assoc", "Associate", (
        ("person", ("dea-p-caro",)), ("associate", ("x-hidden",)),
        ("relationship", ("socio",))), shown))
    if draw(st.booleans()):
        unit2, marking2, _ = draw(hiding(viewer, taxii))
        acts.append(Create(unit2, "x-address", "Address", (("full", ("Culiacán, Sinaloa",)),),
                           marking2))
    if draw(st.booleans()):
        unit3, marking3, _ = draw(hiding(viewer, taxii))
        acts.append(Create(unit3, "x-person", "Person", (("name", ("Financiero",)),), marking3))
    return Case(viewer, tuple(acts))


def _foreign(viewer: str) -> list[str]:
    return [u for u in (SOD, HOFD, SDFD, UIE, PN, FEMDO)
            if sc.agency_of(u) != sc.agency_of(viewer)]


@st.composite
def other_activity(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """Another unit searches, counts, asks the log, or opens a record that neither the
    viewer's agency nor the viewer originated (docs/audit.md: those are not the viewer's)."""
    actor = draw(st.sampled_from([u for u in (SOD, HOFD, SDFD, UIE, PN, FEMDO) if u != viewer]))
    shows = [r for r in SEES[actor] if origin_of(r) != sc.agency_of(viewer)
             and sc.agency_of(actor) != sc.agency_of(viewer)]
    options = [Activity(actor, "stats"), Activity(actor, "audit"),
               *(Activity(actor, "search", t) for t in TEXTS),
               *(Activity(actor, "show", r) for r in shows)]
    picked = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))
    return Case(viewer, tuple(picked))


LISTED = {SDFD: ("guzman", "caro quintero", "el raton", "sinaloa"),
          PN: ("zambada ortiz", "ovidio"), FEMDO: ("damaso", "lopez nunez")}


@st.composite
def search_listing(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """Another agency's analyst searches for a name the viewer's agency holds (finding 6:
    the originator learns what other agencies look for)."""
    actor = draw(st.sampled_from(_foreign(viewer)))
    text = draw(st.sampled_from(LISTED[viewer]))
    return Case(viewer, (Activity(actor, "search", text),))


@st.composite
def hidden_release(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """A release, a consent or a consent request among others: the viewer is neither party
    to it nor its record's originator (a request: neither the asking unit nor the unit
    asked — not even a unit of the same agency as either)."""
    if sc.agency_of(viewer) == sc.US_DEA:
        options: list[Action] = [Release(FEMDO, "fgr-p-damaso", "agency:mx.semar", TRI),
                                 Release(UIE, "mx-p-ovidio", "unit:mx.semar.pn")]
    else:
        other = sc.MX_FGR if sc.agency_of(viewer) == sc.MX_SEMAR else sc.MX_SEMAR
        options = [Release(SOD, "dea-s-2", "unit:us.dea.hofd"),
                   Release(SOD, "dea-p-guzman", "unit:us.dea.hofd"),
                   Release(SOD, "dea-s-2", other, consent=True)]
    options += [AskConsent(SOD, "mx-p-ovidio", "agency:mx.fgr", refused=True),
                AskConsent(HOFD, "mx-p-ovidio", "unit:mx.semar.pn")]
    picked = draw(st.lists(st.sampled_from(options), min_size=1, max_size=2, unique=True))
    return Case(viewer, tuple(picked))


@st.composite
def orcon_statement(draw: st.DrawFn, viewer: str, taxii: bool = True) -> Case:
    """A third agency's ORCON statement on a DEA record, releasable to the peer too: only
    its originator may let the DEA node relay it (finding 9)."""
    third = UIE if viewer == FEMDO else FEMDO
    to = "agency:mx.fgr" if viewer == FEMDO else "agency:mx.semar"
    marking = Marking.build("AMBER", ["agency:us.dea", to], orcon=True, legal_basis=TRI)
    target = draw(st.sampled_from(("dea-s-2", "dea-p-guzman")))
    prop, values = draw(st.sampled_from(PROPS[schema_of(target)]))
    return Case(viewer, (Amend(third, target, ((prop, (draw(st.sampled_from(values)),)),),
                               marking=marking),))


@st.composite
def receiver_id(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """Records of ours, hidden from the peer we pull from, under ids its pages carry."""
    hides = [e for e in HIDING if hidden(e, viewer, False)
             and sc.agency_of(e[0]) != sc.agency_of(viewer)]
    taken = draw(st.lists(st.sampled_from(("mx-in-1", "mx-in-2", "x-person")), min_size=1,
                          max_size=2, unique=True))
    acts = []
    for entity in taken:
        unit, marking, _ = draw(st.sampled_from(hides))
        acts.append(Create(unit, entity, "Person", (("name", (draw(st.sampled_from(NAMES)),)),),
                           marking))
    return Case(viewer, tuple(acts))


@st.composite
def other_recipients(draw: st.DrawFn, viewer: str, taxii: bool = False) -> Case:
    """A RED record of another agency names the viewer's unit and others: the viewer is
    shown itself named, never who else is (world A: the record naming the viewer alone)."""
    creator = draw(st.sampled_from([u for u in (SOD, UIE, FEMDO)
                                    if sc.agency_of(u) != sc.agency_of(viewer)]))
    others = [u for u in (SOD, HOFD, UIE, PN, FEMDO, SDFD) if u not in (viewer, creator)]
    extra = draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
    props = (("name", (draw(st.sampled_from(NAMES)),)),)

    def made(*units: str) -> Create:
        return Create(creator, "x-red", "Person", props, Marking.build(
            "RED", [f"unit:{u}" for u in units], legal_basis=TRI))

    return Case(viewer, (made(creator, viewer, *extra),), (made(creator, viewer),))


KINDS = {"hidden_record": hidden_record, "hidden_portion": hidden_portion,
         "hidden_change": hidden_change, "hidden_reference": hidden_reference,
         "hidden_value": hidden_value, "hidden_filtered": hidden_filtered,
         "other_activity": other_activity, "search_listing": search_listing,
         "hidden_release": hidden_release, "orcon_statement": orcon_statement,
         "receiver_id": receiver_id, "other_recipients": other_recipients}


def cases(kind: str, viewers: tuple[str, ...], taxii: bool = False) -> Any:
    """Cases of ``kind`` for a viewer drawn from ``viewers``."""
    return st.sampled_from(viewers).flatmap(lambda v: KINDS[kind](v, taxii))
