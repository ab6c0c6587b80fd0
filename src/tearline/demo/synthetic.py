"""Synthetic field data: seizures, labs, people, phones, vehicles and their links.

:func:`generate` is pure and deterministic: the same seed, CBP totals, organization
names and scale give the same records, in the same order, on every machine. It draws
from one ``random.Random(seed)`` and one Faker ``es_MX`` instance seeded with the same
seed; it never touches global random state.

What comes out, and how it hangs together:

1. Public records (CLEAR): the seizing agencies, and trafficking organizations whose
   names are taken from the OFAC narcotics entries passed in (the names are real; every
   member, phone and link attached to them here is invented).
2. A network per organization: a head, mid-level members and members (Person, with
   Mexican naming and often a nickname), their ``Membership``, ``Associate`` links up
   the hierarchy and a few across organizations, their phones (``Phone.user``) and
   phones shared with another member (``UnknownLink``).
3. Clandestine labs in Sinaloa, Durango, Jalisco, Michoacán and Sonora, active or
   dismantled, each with an ``operator`` (a member or the organization).
4. U.S. seizures at southwest-border ports of entry and mail facilities, calibrated to
   CBP (see :mod:`tearline.demo.calibration`): their gross weights per (month, drug) add
   up to ``scale`` × the CBP total, to the gram, shared out in proportion to sizes drawn
   for each seizure's drug and kind of place (:mod:`tearline.demo.sizes`). Couriers
   (``suspect``), their vehicles (``vehicle``, with ``UnknownLink`` to the driver and
   sometimes to a network member as registered owner) and ``Associate`` links to a
   network handler come with them.
5. Mexican seizures at seaports and inland towns by ``mx.semar`` and ``mx.fgr`` units,
   about 12 % as many as the U.S. ones. CBP counts only U.S. seizures, so these carry
   ``country`` ``mx`` and are outside the totals' calibration; their sizes are drawn
   from CBP's distribution for the drug and kind of place (:mod:`tearline.demo.sizes`:
   seaports as CBP's sea and air ports, inland towns as Border Patrol's stops), capped at
   the largest seizure CBP's data show there.

Every record is ``synthetic=True``; originators, authors and markings come from
:mod:`tearline.demo.scenario`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from faker import Faker

from tearline.demo import calibration as cal
from tearline.demo import scenario as sc
from tearline.demo import sizes
from tearline.demo.network import Network, build_network
from tearline.demo.places import (
    COCAINE_TRANSIT,
    CONCEALMENT,
    CONVEYANCES,
    DRUGS,
    LAB_PLACES,
    MX_PLACES,
    US_PLACES,
    DrugProfile,
    Place,
)
from tearline.demo.writer import RecordWriter, weighted
from tearline.errors import InputError, tr
from tearline.model.grading import Credibility, Reliability
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer

#: The default sample: 1 % of CBP's weight per cell — about 1,500 U.S. seizures and
#: 6,000 records for FY2019–FY2023, which ingest in seconds.
DEFAULT_SCALE = 0.01
#: Mexican seizures per U.S. seizure.
MX_SHARE = 0.12


def generate(
    seed: int,
    cbp_months: Mapping[tuple[date, str], float],
    org_names: Sequence[str],
    scale: float = DEFAULT_SCALE,
    start: date | None = None,
    end: date | None = None,
    *,
    keyer: StatementKeyer,
) -> Iterator[Record]:
    """Synthetic records calibrated to ``cbp_months`` (pounds per (month, drug)).

    ``org_names`` are trafficking-organization names (the CLI passes the OFAC
    narcotics entities); ``start``/``end`` limit the months (inclusive); ``keyer``
    derives the statement ids (the store's that will keep the records).
    """
    if not 0 < scale <= 1:
        raise InputError(tr("scale must be in (0, 1], not {scale}", scale=scale))
    names = list(dict.fromkeys(n.strip() for n in org_names if n and n.strip()))
    if not names:
        raise InputError(tr("at least one organization name is needed"))
    cells = cal.cells_in_range(cbp_months, DRUGS, start, end)
    if not cells:
        raise InputError(tr("no CBP month in the requested range for the five demo drugs"))
    rng = random.Random(seed)
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    counts = [cal.incident_count(p, DRUGS[d].mean_kg, scale) for _, d, p in cells]
    n_us = sum(counts)
    months = sorted({m for m, _, _ in cells})
    writer = RecordWriter(rng, fake, f"demo{seed}".replace("-", "n"), keyer)
    first = datetime.combine(months[0], datetime.min.time(), UTC)

    agencies = _agencies(writer, first)
    yield from agencies.values()
    network = build_network(writer, names, n_us, months)
    yield from network.records
    yield from _labs(writer, network, months, n_us)
    for (month, drug, pounds), count in zip(cells, counts, strict=True):
        target = cal.target_grams(pounds, scale)
        plans = [_us_place(rng, DRUGS[drug]) for _ in range(min(count, target))]
        draws = [sizes.draw_kg(rng, drug, place.kind) for _, place in plans]
        for (origin, place), grams in zip(plans, cal.share_grams(target, draws), strict=True):
            yield from _us_seizure(writer, network, agencies, month, DRUGS[drug], grams,
                                   origin, place)
    for _ in range(round(n_us * MX_SHARE)):
        yield from _mx_seizure(writer, network, agencies, rng.choice(months))


def _agencies(writer: RecordWriter, at: datetime) -> dict[str, Record]:
    rows = (
        ("cbp", "U.S. Customs and Border Protection", "us", sc.SOD),
        ("semar", "Secretaría de Marina", "mx", sc.UIE),
        ("fgr", "Fiscalía General de la República", "mx", sc.FEMDO),
    )
    return {
        key: writer.record(
            "agency", "Organization",
            {"name": [name], "country": [country], "sector": ["law enforcement"]},
            unit, "public", at, Reliability.A, Credibility.CONFIRMED,
        )
        for key, name, country, unit in rows
    }


def _labs(
    writer: RecordWriter, network: Network, months: Sequence[date], n_us: int
) -> Iterator[Record]:
    rng = writer.rng
    for _ in range(max(2, round(n_us / 40))):
        town = weighted(rng, LAB_PLACES)
        drug = weighted(rng, (("methamphetamine", 60), ("fentanyl", 30), ("heroin", 10)))
        found = _day_in(rng, rng.choice(months))
        active = rng.random() < 0.3
        operator = (
            network.organization_of_random(rng) if rng.random() < 0.3
            else network.member(rng, "member")
        )
        props: dict[str, list[str]] = {
            "name": [f"Laboratorio clandestino {town.name} {writer.peek('lab')}"],
            "drug": [drug],
            "labStatus": ["active" if active else "dismantled"],
            "place": [town.address],
            "country": ["mx"],
            "latitude": [f"{town.latitude + rng.uniform(-0.15, 0.15):.4f}"],
            "longitude": [f"{town.longitude + rng.uniform(-0.15, 0.15):.4f}"],
            "capacity": [str(rng.choice((20, 50, 100, 250, 500, 1000)))],
            "discoveredDate": [found.isoformat()],
            "operator": [operator],
        }
        if not active:
            props["dismantledDate"] = [(found + timedelta(days=rng.randint(0, 3))).isoformat()]
        unit = sc.SOD if active else town.unit
        grade = (Reliability.C, Credibility.POSSIBLY_TRUE) if active else (
            Reliability.A, Credibility.CONFIRMED)
        yield writer.record("lab", "Lab", props, unit, "subject", _at(rng, found), *grade)


def _us_place(rng: random.Random, drug: DrugProfile) -> tuple[str, Place]:
    """Where a U.S. seizure comes from and where it is made: mail facilities for
    Chinese and Indian fentanyl, land ports of entry for the rest."""
    origin = weighted(rng, drug.origins)
    kind = "mail-facility" if origin in ("cn", "in") else "land-port"
    return origin, weighted(rng, tuple(p for p in US_PLACES if p[0].kind == kind))


def _us_seizure(
    writer: RecordWriter,
    network: Network,
    agencies: Mapping[str, Record],
    month: date,
    drug: DrugProfile,
    grams: int,
    origin: str,
    place: Place,
) -> Iterator[Record]:
    rng = writer.rng
    transit = weighted(rng, COCAINE_TRANSIT) if drug.name == "cocaine" else None
    day = _day_in(rng, month)
    yield from _seizure(
        writer, network, agencies["cbp"].id, place, drug, grams, origin, transit, day,
        region="Southwest Border" if place.kind == "land-port" else "Field Operations",
    )


def _mx_seizure(
    writer: RecordWriter, network: Network, agencies: Mapping[str, Record], month: date
) -> Iterator[Record]:
    rng = writer.rng
    place = weighted(rng, MX_PLACES)
    if place.kind == "seaport":
        name = weighted(rng, (("cocaine", 70), ("fentanyl", 15), ("methamphetamine", 15)))
    else:
        name = weighted(rng, (("methamphetamine", 35), ("fentanyl", 25), ("marijuana", 25),
                              ("cocaine", 10), ("heroin", 5)))
    drug = DRUGS[name]
    grams = max(1, round(sizes.draw_kg(rng, name, place.kind) * 1000))
    origin = weighted(rng, drug.origins) if name == "cocaine" else "mx"
    agency = agencies["semar"] if place.unit.startswith(sc.MX_SEMAR) else agencies["fgr"]
    yield from _seizure(
        writer, network, agency.id, place, drug, grams, origin, None, _day_in(rng, month),
        region=place.state,
    )


def _seizure(
    writer: RecordWriter,
    network: Network,
    seizing_agency: str,
    place: Place,
    drug: DrugProfile,
    grams: int,
    origin: str,
    transit: str | None,
    day: date,
    region: str,
) -> Iterator[Record]:
    rng = writer.rng
    conveyance = weighted(rng, CONVEYANCES[place.kind])
    at = _at(rng, day)
    net = max(1, round(grams * rng.uniform(0.78, 0.97)))
    props: dict[str, list[str]] = {
        "name": [f"{drug.name.capitalize()} seizure, {place.name}, {day.isoformat()}"],
        "drug": [drug.name],
        "grossWeight": [cal.kilograms(grams)],
        "netWeight": [cal.kilograms(net)],
        "originCountry": [origin],
        "destinationCountry": ["us"],
        "conveyance": [conveyance],
        "concealment": [rng.choice(CONCEALMENT[conveyance])],
        "seizingAgency": [seizing_agency],
        "region": [region],
        "place": [place.address],
        "latitude": [f"{place.latitude:.4f}"],
        "longitude": [f"{place.longitude:.4f}"],
        "date": [day.isoformat()],
        "country": [place.country],
    }
    if place.country == "us":
        props["portOfEntry"] = [place.name]
    if transit is not None:
        props["transitCountry"] = [transit]
    if drug.purity is not None:
        low, high = drug.purity
        props["purity"] = [f"{rng.uniform(low, high):.1f}"]
    if drug.name == "fentanyl" and rng.random() < 0.6:
        props["pillCount"] = [str(max(1, round(net / 0.11)))]
    extra: list[Record] = []
    if conveyance not in ("international mail", "express consignment", "container vessel") \
            and rng.random() < 0.55:
        courier = network.courier(writer, place, at)
        extra.extend(courier)
        props["suspect"] = [courier[0].id]
        if conveyance in ("passenger vehicle", "commercial truck"):
            vehicle = network.vehicle(writer, place, conveyance, courier[0].id, at)
            extra.extend(vehicle)
            props["vehicle"] = [vehicle[0].id]
    yield from extra
    yield writer.record("seizure", "Seizure", props, place.unit, "seizure", at,
                        Reliability.A, Credibility.CONFIRMED)


def _day_in(rng: random.Random, month: date) -> date:
    nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return month + timedelta(days=rng.randrange((nxt - month).days))


def _at(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59),
                    tzinfo=UTC)
