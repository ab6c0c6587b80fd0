"""The network's facts are the reader's: every entity, relationship and reference the
graph uses exists for the viewer, and nothing that exists for it is missing
(``store/network.py`` against ``store/reader.py``, both backends)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from reference_chain import chain
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.network.graph import RELATIONS, build_graph
from tearline.policy.subject import Subject
from tearline.store import resolve_judgements
from tearline.store.network import NODE_SCHEMAS, REFERENCES
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)
NOW = T + timedelta(days=10)
DEA, SEMAR = Provenance("us.dea", "us.dea.sod", T), Provenance("mx.semar", "mx.semar.uie", T)
VIEWERS = (Subject("mx.semar.pn", "mx.semar"), Subject("us.dea.sdfd", "us.dea"),
           Subject("us.dea.sod", "us.dea"), Subject("mx.semar.uie", "mx.semar"))
GREEN = Marking.build("GREEN")
#: the markings each originator draws from (the first is the only one a portion narrows)
MARKINGS = {"us.dea": (GREEN, Marking.build("AMBER+STRICT"),
                       Marking.build("RED", ["unit:us.dea.sod"])),
            "mx.semar": (GREEN, Marking.build("AMBER+STRICT"),
                         Marking.build("AMBER", ["agency:mx.semar"]),
                         Marking.build("RED", ["unit:mx.semar.uie"]))}
ENDS = {"Associate": ("person", "associate"), "Membership": ("member", "organization"),
        "Family": ("person", "relative"), "UnknownLink": ("subject", "object")}


def world(seed: int, keyer: object) -> list[Record]:
    """People, organizations, phones and addresses, relationships between them (some
    naming relationships, some naming ids never created), markings and portions drawn."""
    rng = random.Random(seed)
    out: list[Record] = []

    def add(rid: str, schema: str, props: dict[str, list[str]]) -> None:
        prov = rng.choice((DEA, SEMAR))
        mark = rng.choice(MARKINGS[prov.origin])
        portions = {p: rng.choice(MARKINGS[prov.origin][1:]) for p in props
                    if mark is GREEN and rng.random() < 0.3}
        out.append(build_record(rid, schema, props, prov, mark, portions or None,
                                keyer=keyer))  # type: ignore[arg-type]

    people = [f"p{i}" for i in range(14)]
    for pid in people:
        add(pid, "Person", {"name": [f"Persona {pid}"], "addressEntity": (
            [f"a{rng.randrange(3)}"] if rng.random() < 0.4 else [])})
    for i in range(3):
        add(f"a{i}", "Address", {"full": [f"Calle {i}, Culiacán"]})
        add(f"o{i}", "Organization", {"name": [f"Cártel {i}"]})
    for i in range(6):
        add(f"ph{i}", "Phone", {"number": [f"+5266710000{i:02d}"],
                                "user": rng.sample(people, rng.randint(1, 2))})
    for i in range(4):  # a relationship made only of references to another
        add(f"s{i}", "Seizure", {"drug": ["fentanyl"], "suspect": rng.sample(people, 2)})
    for i in range(2):  # records of another schema, named by links below
        add(f"n{i}", "Note", {"description": [f"Nota {i}"]})
    rels = [f"r{i}" for i in range(26)]
    for rid in rels:
        schema = rng.choice(list(ENDS))
        pool = (people + ["ghost"] if schema != "Membership" else people)
        a = rng.choice(pool)
        b = (rng.choice(["o0", "o1", "o2"]) if schema == "Membership"
             else rng.choice(pool + [f"ph{rng.randrange(6)}", "n0", "n1"] + rels[:3]))
        role = {"Membership": "role", "UnknownLink": "role"}.get(schema, "relationship")
        add(rid, schema, {ENDS[schema][0]: [a], ENDS[schema][1]: [b], role: ["jefe"]})
    return out


def _reader_view(store: Store, viewer: Subject) -> tuple[set[str], set[tuple[str, str, str]],
                                                         set[tuple[str, str, str]]]:
    entities, rels, refs = set(), set(), set()
    for rec in store.page(viewer, NOW, limit=10_000):
        if rec.schema in NODE_SCHEMAS:
            entities.add(rec.id)
            for s in rec.statements:
                if s.prop in REFERENCES:
                    refs.add((rec.id, s.prop, s.value))
        elif rec.schema in RELATIONS:
            ends = ENDS[rec.schema]
            for a in rec.values(ends[0]):
                for b in rec.values(ends[1]):
                    rels.add((rec.id, a, b))
    return entities, rels, refs


def test_the_network_reads_what_the_reader_shows(store: Store) -> None:
    store.write(world(7, store.keyer))
    seen = set()
    for viewer in VIEWERS:
        facts = store.network(viewer, NOW)
        seen.add((len(facts.entities), len(facts.relationships), len(facts.references)))
        entities, rels, refs = _reader_view(store, viewer)
        assert {e.id for e in facts.entities} == entities, viewer
        assert {(r.id, r.source, r.target) for r in facts.relationships} == rels, viewer
        assert {(r.holder, r.prop, r.target) for r in facts.references} == refs, viewer
    assert len(seen) == len(VIEWERS)  # the viewers see different networks
    assert min(r for _, r, _ in seen) < max(r for _, r, _ in seen)


def test_a_chain_resting_on_a_hidden_record_is_not_in_the_network(store: Store) -> None:
    public, hidden = Marking.build("GREEN"), Marking.build("AMBER+STRICT")
    store.write(chain(DEA, public, hidden))
    viewer = VIEWERS[0]
    facts = store.network(viewer, NOW)
    entities, rels, refs = _reader_view(store, viewer)
    assert {e.id for e in facts.entities} == entities
    assert {(r.id, r.source, r.target) for r in facts.relationships} == rels
    assert store.network(VIEWERS[2], NOW).relationships  # the originator sees the chain


def _judge(store: Store, who: Subject, a: str, b: str, judgement: str, marking: Marking,
           at: datetime) -> None:
    with store.transaction() as conn:
        resolve_judgements.add(conn, who, a, b, judgement, "read the files", marking, at)


def test_the_network_merges_the_people_the_viewer_judged_one(store: Store) -> None:
    """A judgement ``match`` the viewer may see, about two records it sees, makes one node;
    a judgement it may not see, or one naming a record it may not see, merges nothing; an
    undo (a later ``no-match``) splits the node again."""
    sod, sdfd, uie = VIEWERS[2], VIEWERS[1], VIEWERS[3]
    red = Marking.build("RED", ["unit:us.dea.sod"])

    def person(rid: str, name: str, marking: Marking = GREEN) -> Record:
        return build_record(rid, "Person", {"name": [name]}, DEA, marking, keyer=store.keyer)

    store.write([
        person("j1", "Joaquín Guzmán Loera"), person("j2", "JOAQUIN GUZMAN"),
        person("j3", "Ismael Zambada García"), person("j4", "El Chapo", red),
        build_record("o1", "Organization", {"name": ["Cártel de Sinaloa"]}, DEA, GREEN,
                     keyer=store.keyer),
        build_record("l1", "Associate", {"person": ["j1"], "associate": ["j3"]}, DEA, GREEN,
                     keyer=store.keyer),
        build_record("l2", "Membership", {"member": ["j2"], "organization": ["o1"]}, DEA,
                     GREEN, keyer=store.keyer)])
    _judge(store, sod, "j1", "j2", "match", GREEN, T)
    _judge(store, sod, "j2", "j4", "match", GREEN, T)  # names a record SDFD may not see
    _judge(store, uie, "j1", "j3", "match", Marking.build("RED", ["unit:mx.semar.uie"]), T)

    facts = store.network(sdfd, NOW)
    assert facts.same == (("j1", "j1"), ("j2", "j1"))
    graph = build_graph(facts)
    assert graph.nodes["j1"].records == ("j1", "j2") and "j2" not in graph.nodes
    assert {(link.a, link.b) for link in graph.links} == {("j1", "j3"), ("j1", "o1")}
    assert dict(store.network(sod, NOW).same) == {"j1": "j1", "j2": "j1", "j4": "j1"}

    _judge(store, sod, "j1", "j2", "no-match", GREEN, T + timedelta(hours=1))
    assert store.network(sdfd, NOW).same == ()
    assert dict(store.network(sod, NOW).same) == {"j2": "j2", "j4": "j2"}
