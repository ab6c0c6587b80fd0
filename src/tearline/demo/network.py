"""The synthetic trafficking networks: people, memberships, associates, phones, vehicles.

Each organization gets a head, two or three mid-level members and three to six
members. Members are linked (``Associate``) to a mid-level member, mid-level members
to the head, and a few people to someone in another organization. Everyone has one or
two phones; a tenth of the phones are also used by another member (``UnknownLink``).
Couriers arrested at seizures are new people, most of them linked to a handler in a
network, so that link analysis can climb from a seizure to the heads.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from tearline.demo import identifiers as ident
from tearline.demo import scenario as sc
from tearline.demo.places import Place
from tearline.demo.writer import RecordWriter, weighted
from tearline.model.grading import Credibility, Reliability
from tearline.model.record import Record

#: Who authors network intelligence: mostly the U.S. coordinating unit.
NETWORK_AUTHORS: tuple[tuple[str, int], ...] = (
    (sc.SOD, 55), (sc.UIE, 25), (sc.FEMDO, 15), (sc.NAVAL_POLICE, 5),
)
ROLES = ("head", "mid-level", "member")
#: The property that carries a VIN. FollowTheMoney 4.11's Vehicle has no ``vin``
#: property, so the VIN is a second registration identifier beside the plate until
#: the model gains one (both are selectors for deconfliction).
VIN_PROPERTY = "registrationNumber"
OFAC_NOTE = (
    "Organization name from the OFAC SDN list (narcotics programs). Its members, phones, "
    "labs and links in this data set are synthetic."
)


@dataclass
class Network:
    records: list[Record] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    #: role → person ids
    people: dict[str, list[str]] = field(default_factory=lambda: {r: [] for r in ROLES})

    def member(self, rng: random.Random, role: str) -> str:
        return rng.choice(self.people[role])

    def organization_of_random(self, rng: random.Random) -> str:
        return rng.choice(self.organizations)

    def courier(self, writer: RecordWriter, place: Place, at: datetime) -> list[Record]:
        """An arrested courier (first), their link to a handler, and maybe their phone."""
        rng = writer.rng
        nationality = "mx" if place.country == "mx" or rng.random() < 0.6 else "us"
        person = _person(writer, place.unit, at, nationality, (18, 45), "courier")
        out = [person]
        if rng.random() < 0.6:
            handler = self.member(rng, "member" if rng.random() < 0.8 else "mid-level")
            out.append(writer.record(
                "associate", "Associate",
                {"person": [person.id], "associate": [handler], "relationship": ["courier for"]},
                place.unit, "subject", at, Reliability.C, Credibility.POSSIBLY_TRUE,
            ))
        if rng.random() < 0.5:
            out.append(_phone(writer, place.unit, at, person.id, nationality))
        return out

    def vehicle(
        self, writer: RecordWriter, place: Place, conveyance: str, driver: str, at: datetime
    ) -> list[Record]:
        """The vehicle (first), its driver link, and sometimes a registered owner."""
        rng = writer.rng
        kinds = ident.TRUCK_TYPES if conveyance == "commercial truck" else ident.VEHICLE_TYPES
        wmi, make, model, body = rng.choice(kinds)
        year = rng.randint(2010, min(2023, at.year))
        registered = "mx" if rng.random() < 0.55 else "us"
        region = place.state if registered == place.country else "Baja California"
        props: dict[str, list[str]] = {
            "name": [f"{year} {make} {model}"],
            "type": [body],
            "model": [f"{make} {model}"],
            "registrationNumber": [ident.plate(rng, region)],
            "buildDate": [str(year)],
            "country": [registered],
        }
        props.setdefault(VIN_PROPERTY, []).append(ident.vin(rng, wmi, year))
        vehicle = writer.record(
            "vehicle", "Vehicle", props, place.unit, "subject", at,
            Reliability.A, Credibility.CONFIRMED,
        )
        out = [vehicle, writer.record(
            "link", "UnknownLink",
            {"subject": [driver], "object": [vehicle.id], "role": ["driver at seizure"]},
            place.unit, "subject", at, Reliability.A, Credibility.CONFIRMED,
        )]
        if rng.random() < 0.15:
            owner = self.member(rng, "member")
            out.append(writer.record(
                "link", "UnknownLink",
                {"subject": [owner], "object": [vehicle.id], "role": ["registered owner"]},
                place.unit, "subject", at, Reliability.B, Credibility.PROBABLY_TRUE,
            ))
        return out


def build_network(
    writer: RecordWriter, names: Sequence[str], n_seizures: int, months: Sequence[date]
) -> Network:
    """Organizations (from ``names``), their people and links; about one per 100 seizures."""
    rng = writer.rng
    net = Network()
    n_orgs = max(1, min(len(names), 200, max(3, round(n_seizures / 100))))
    start = datetime.combine(months[0], datetime.min.time(), UTC)
    for org_name in rng.sample(list(names), n_orgs):
        at = start + timedelta(days=rng.randrange(28), hours=rng.randrange(24))
        org = writer.record(
            "org", "Organization",
            {"name": [org_name], "topics": ["crime.traffick.drug"], "notes": [OFAC_NOTE]},
            sc.SOD, "public", at, Reliability.B, Credibility.PROBABLY_TRUE,
        )
        net.records.append(org)
        net.organizations.append(org.id)
        chain: dict[str, list[str]] = {r: [] for r in ROLES}
        sizes = {"head": 1, "mid-level": rng.randint(2, 3), "member": rng.randint(3, 6)}
        for role in ROLES:
            for _ in range(sizes[role]):
                unit = weighted(rng, NETWORK_AUTHORS)
                person = _person(writer, unit, at, "mx", (24, 68) if role != "member"
                                 else (18, 45), role)
                net.records.append(person)
                chain[role].append(person.id)
                net.people[role].append(person.id)
                net.records.append(writer.record(
                    "membership", "Membership",
                    {"member": [person.id], "organization": [org.id], "role": [role]},
                    unit, "subject", at, Reliability.B, Credibility.PROBABLY_TRUE,
                ))
                boss = {"mid-level": "head", "member": "mid-level"}.get(role)
                if boss:
                    net.records.append(writer.record(
                        "associate", "Associate",
                        {"person": [person.id], "associate": [rng.choice(chain[boss])],
                         "relationship": ["reports to"]},
                        unit, "subject", at, Reliability.B, Credibility.PROBABLY_TRUE,
                    ))
                for _ in range(rng.randint(1, 2)):
                    country = "mx" if rng.random() < 0.85 else "us"
                    phone = _phone(writer, unit, at, person.id, country)
                    net.records.append(phone)
                    if len(chain["member"]) > 1 and rng.random() < 0.1:
                        other = rng.choice(chain["member"][:-1])
                        net.records.append(writer.record(
                            "link", "UnknownLink",
                            {"subject": [other], "object": [phone.id], "role": ["also used by"]},
                            unit, "subject", at, Reliability.C, Credibility.POSSIBLY_TRUE,
                        ))
    everyone = [p for role in ROLES for p in net.people[role]]
    for _ in range(max(1, len(everyone) // 20)):
        a, b = rng.sample(everyone, 2)
        net.records.append(writer.record(
            "associate", "Associate",
            {"person": [a], "associate": [b], "relationship": ["business contact"]},
            sc.SOD, "subject", start, Reliability.C, Credibility.POSSIBLY_TRUE,
        ))
    return net


def _person(
    writer: RecordWriter, unit: str, at: datetime, nationality: str,
    ages: tuple[int, int], role: str,
) -> Record:
    rng = writer.rng
    name = ident.mexican_name(rng, writer.fake, 0.5 if role != "courier" else 0.15)
    born = date(at.year - rng.randint(*ages), rng.randint(1, 12), rng.randint(1, 28))
    props: dict[str, list[str]] = {
        "name": [name.full],
        "firstName": [name.given[0]],
        "lastName": [name.surnames],
        "gender": [name.gender],
        "birthDate": [born.isoformat()],
        "nationality": [nationality],
        "position": [role],
    }
    if len(name.given) > 1:
        props["middleName"] = [name.given[1]]
    if name.nickname:
        props["weakAlias"] = [name.nickname]
    return writer.record("person", "Person", props, unit, "subject", at,
                         Reliability.B, Credibility.PROBABLY_TRUE)


def _phone(writer: RecordWriter, unit: str, at: datetime, user: str, country: str) -> Record:
    rng = writer.rng
    return writer.record(
        "phone", "Phone",
        {"number": [ident.phone_number(rng, country)], "carrier": [ident.carrier(rng, country)],
         "country": [country], "user": [user]},
        unit, "subject", at, Reliability.B, Credibility.PROBABLY_TRUE,
    )
