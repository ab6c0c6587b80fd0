"""What one viewer is shown of an entry (audit/views.py): laws over every kind of event.

The law that matters: an entry that is not the viewer's own whole entry is shown the
same whatever it holds that the viewer may not see — statement ids of hidden portions,
a version that counts hidden changes, the release it supersedes, another unit's
analyst — and no such thing appears in what is shown.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_audit_events import AT, EXAMPLES

from tearline.audit.envelope import Event
from tearline.audit.events import REGISTRY
from tearline.audit.views import (
    OPENING_PATHS,
    RecordFacts,
    View,
    Viewer,
    at_unit_level,
    unit_of,
    view,
)

UNITS = {"us.dea.sod": "us.dea", "us.dea.sdfd": "us.dea", "mx.semar.uie": "mx.semar",
         "mx.semar.pn": "mx.semar", "mx.fgr.femdo": "mx.fgr"}
AGENCIES = sorted(set(UNITS.values()))
VISIBLE = [f"st-v{i}" for i in range(4)]
HIDDEN = [f"st-h{i}" for i in range(4)]

actors = st.one_of(
    st.sampled_from([f"unit:{u}" for u in UNITS]),
    st.builds(lambda name, unit: f"analyst:{name}@{unit}",
              st.sampled_from(["ana", "bob"]), st.sampled_from(sorted(UNITS))),
    st.sampled_from(["node:mx.semar", "system", "agency:us.dea"]),
)
viewers = st.sampled_from(sorted(UNITS)).map(lambda u: Viewer(u, UNITS[u]))
facts = st.one_of(st.none(), st.builds(
    RecordFacts, st.sampled_from(AGENCIES), st.just(frozenset(VISIBLE))))


def event(kind: str, actor: str, **changes: Any) -> Event:
    fields = {**EXAMPLES[kind], **{k: v for k, v in changes.items() if k in EXAMPLES[kind]
                                   and (k != "path" or kind == "record.read")}}
    return REGISTRY[kind](at=AT, actor=actor, **fields)


def text(shown: View | None) -> str:
    return json.dumps(None if shown is None else [shown.actor, shown.detail])


@settings(max_examples=600)  # the reduced cases are a fraction of the space
@given(kind=st.sampled_from(sorted(EXAMPLES)), actor=actors, viewer=viewers, known=facts,
       seen=st.lists(st.sampled_from(VISIBLE), min_size=1, unique=True),
       hidden=st.lists(st.sampled_from(HIDDEN), unique=True),
       version=st.integers(1, 9), other_name=st.sampled_from(["eva", "lee"]),
       path=st.sampled_from(sorted(OPENING_PATHS | {"search", "list", "report"})))
def test_what_the_viewer_may_not_see_changes_nothing_it_is_shown(
    kind: str, actor: str, viewer: Viewer, known: RecordFacts | None, seen: list[str],
    hidden: list[str], version: int, other_name: str, path: str,
) -> None:
    plain = event(kind, actor, statement_ids=seen, path=path)
    shown = view(plain, viewer, known)
    if shown is not None and shown.form == "whole":
        # Only the actor's own unit is shown an entry whole.
        assert unit_of(actor) == viewer.unit
        return
    # The same entry, with what the viewer may not see added or changed.
    other_actor = actor
    if actor.startswith("analyst:") and unit_of(actor) != viewer.unit:
        other_actor = f"analyst:{other_name}@{unit_of(actor)}"
    reader = {"subject": other_actor} if kind == "record.read" else {}
    richer = event(kind, other_actor, statement_ids=seen + hidden, path=path, version=version,
                   supersedes="rel-hidden", release_ids=["rel-hidden"],
                   recipients=["unit:mx.fgr.femdo"], **reader)
    if kind == "record.read":
        plain = replace(plain, subject=actor)  # type: ignore[call-arg]
        shown = view(plain, viewer, known)
    assert text(view(richer, viewer, known)) == text(shown)
    assert not any(h in text(shown) for h in HIDDEN)
    named = [a for a in (text(shown).split('"')) if a.startswith("analyst:")]
    assert all(unit_of(a) == viewer.unit for a in named)


@given(kind=st.sampled_from(sorted(EXAMPLES)), actor=actors, viewer=viewers, known=facts,
       hidden=st.lists(st.sampled_from(HIDDEN), min_size=1, unique=True))
def test_an_entry_of_hidden_statements_alone_is_not_shown_reduced(
    kind: str, actor: str, viewer: Viewer, known: RecordFacts | None, hidden: list[str]
) -> None:
    if "statement_ids" not in EXAMPLES[kind]:
        return
    shown = view(event(kind, actor, statement_ids=hidden), viewer, known)
    assert shown is None or shown.form == "whole"


@given(kind=st.sampled_from(sorted(EXAMPLES)), actor=actors, viewer=viewers)
def test_an_entry_about_a_record_the_viewer_does_not_have_is_not_shown(
    kind: str, actor: str, viewer: Viewer
) -> None:
    entry = event(kind, actor)
    if getattr(entry, "entity_id", None) is not None:
        assert view(entry, viewer, None) is None


def test_entries_about_no_record_go_to_their_own_unit_only() -> None:
    search = event("search.query", "analyst:ana@mx.semar.uie")
    assert view(search, Viewer("mx.semar.uie", "mx.semar"), None) is not None
    assert view(search, Viewer("mx.semar.pn", "mx.semar"), None) is None
    assert view(event("auth.failed", "system"), Viewer("us.dea.sod", "us.dea"), None) is None


def test_the_originator_sees_openings_not_listings() -> None:
    originator = Viewer("mx.semar.uie", "mx.semar")
    known = RecordFacts("mx.semar", frozenset({"s1"}))
    for path in ("search", "list", "report"):
        assert view(event("record.read", "analyst:bob@us.dea.sod", path=path), originator,
                    known) is None
    opened = view(event("record.read", "analyst:bob@us.dea.sod", path="show",
                        subject="analyst:bob@us.dea.sod"), originator, known)
    assert opened is not None and opened.form == "reduced"
    assert opened.actor == "unit:us.dea.sod"
    assert opened.detail == {"subject": "unit:us.dea.sod", "statement_ids": ["s1"],
                             "path": "show"}
    # Not the originator: nothing of another agency's read.
    assert view(event("record.read", "unit:us.dea.sod", path="show"),
                Viewer("mx.fgr.femdo", "mx.fgr"), RecordFacts("mx.semar", frozenset({"s1"}))
                ) is None
    assert at_unit_level("node:mx.semar") == "node:mx.semar"
