"""Gazetteer and drug profiles for the synthetic field data.

Coordinates are those of the real ports of entry, seaports and towns (rounded to
about 100 m). Shares and sizes are assumptions chosen to look like public reporting,
not measurements: CBP publishes no origin countries and no incident-level data (see
``shared/data/README.md``). Mean seizure sizes are CBP's own average pounds per event
for FY2019–FY2023 (pounds ÷ events in the nationwide files), converted to kilograms;
they set how many seizures a month's total is split into. The size of each seizure is
drawn per drug and kind of place (:mod:`tearline.demo.sizes`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    state: str
    latitude: float
    longitude: float
    kind: str  # "land-port", "mail-facility", "seaport", "inland"
    unit: str  # the unit that authors records about this place

    @property
    def address(self) -> str:
        return f"{self.name}, {self.state}, {'USA' if self.country == 'us' else 'México'}"


#: U.S. ports of entry along the southwest border, and two mail facilities.
US_PLACES: tuple[tuple[Place, int], ...] = (
    (Place("San Ysidro", "us", "California", 32.5422, -117.0297, "land-port", "us.dea.sdfd"), 16),
    (Place("Otay Mesa", "us", "California", 32.5525, -116.9386, "land-port", "us.dea.sdfd"), 10),
    (Place("Calexico", "us", "California", 32.6650, -115.4990, "land-port", "us.dea.sdfd"), 7),
    (Place("Nogales", "us", "Arizona", 31.3330, -110.9420, "land-port", "us.dea.phfd"), 15),
    (Place("Lukeville", "us", "Arizona", 31.8803, -112.8170, "land-port", "us.dea.phfd"), 3),
    (Place("El Paso", "us", "Texas", 31.7640, -106.4510, "land-port", "us.dea.epfd"), 10),
    (Place("Laredo", "us", "Texas", 27.5997, -99.5339, "land-port", "us.dea.hofd"), 12),
    (Place("Hidalgo/Pharr", "us", "Texas", 26.0950, -98.2600, "land-port", "us.dea.hofd"), 9),
    (Place("Brownsville", "us", "Texas", 25.9017, -97.4975, "land-port", "us.dea.hofd"), 5),
    (Place("Eagle Pass", "us", "Texas", 28.7091, -100.5000, "land-port", "us.dea.hofd"), 4),
    (Place("Del Rio", "us", "Texas", 29.3270, -100.9280, "land-port", "us.dea.hofd"), 3),
    (Place("Los Angeles International Mail Facility", "us", "California", 33.9416, -118.4085,
           "mail-facility", "us.dea.sod"), 3),
    (Place("JFK International Mail Facility", "us", "New York", 40.6413, -73.7781,
           "mail-facility", "us.dea.sod"), 3),
)

#: Mexican seaports and towns where Mexican units seize.
MX_PLACES: tuple[tuple[Place, int], ...] = (
    (Place("Puerto de Manzanillo", "mx", "Colima", 19.0580, -104.3050, "seaport",
           "mx.semar.uie"), 5),
    (Place("Puerto de Lázaro Cárdenas", "mx", "Michoacán", 17.9300, -102.1830, "seaport",
           "mx.semar.uie"), 4),
    (Place("Culiacán", "mx", "Sinaloa", 24.8091, -107.3940, "inland", "mx.semar.pn"), 4),
    (Place("Tijuana", "mx", "Baja California", 32.5149, -117.0382, "inland", "mx.fgr.femdo"), 4),
    (Place("Mexicali", "mx", "Baja California", 32.6245, -115.4523, "inland", "mx.fgr.femdo"), 3),
    (Place("Sonoyta", "mx", "Sonora", 31.8617, -112.8520, "inland", "mx.fgr.femdo"), 2),
)

#: Where clandestine labs are found (towns; labs are placed within ~15 km).
LAB_PLACES: tuple[tuple[Place, int], ...] = (
    (Place("Culiacán", "mx", "Sinaloa", 24.8091, -107.3940, "inland", "mx.semar.uie"), 8),
    (Place("Badiraguato", "mx", "Sinaloa", 25.3640, -107.5500, "inland", "mx.semar.uie"), 5),
    (Place("Cosalá", "mx", "Sinaloa", 24.4125, -106.6917, "inland", "mx.semar.uie"), 4),
    (Place("Tamazula", "mx", "Durango", 24.9667, -106.9667, "inland", "mx.semar.uie"), 3),
    (Place("Tlajomulco de Zúñiga", "mx", "Jalisco", 20.4736, -103.4431, "inland",
           "mx.fgr.femdo"), 4),
    (Place("Zapopan", "mx", "Jalisco", 20.7214, -103.3918, "inland", "mx.fgr.femdo"), 2),
    (Place("Apatzingán", "mx", "Michoacán", 19.0886, -102.3508, "inland", "mx.semar.uie"), 4),
    (Place("Tepalcatepec", "mx", "Michoacán", 19.1900, -102.8500, "inland", "mx.semar.uie"), 2),
    (Place("Caborca", "mx", "Sonora", 30.7160, -112.1580, "inland", "mx.fgr.femdo"), 3),
    (Place("San Luis Río Colorado", "mx", "Sonora", 32.4560, -114.7710, "inland",
           "mx.fgr.femdo"), 2),
)


@dataclass(frozen=True, slots=True)
class DrugProfile:
    name: str
    mean_kg: float  # mean gross weight of one seizure at a U.S. port (sets the counts)
    origins: tuple[tuple[str, int], ...]  # ISO country → weight
    purity: tuple[float, float] | None  # range of purity in percent
    lab: bool  # produced in Mexican clandestine labs


DRUGS: dict[str, DrugProfile] = {
    "fentanyl": DrugProfile("fentanyl", 4.3,
                            (("mx", 86), ("cn", 8), ("in", 3), ("ca", 3)), (1.0, 45.0), True),
    "methamphetamine": DrugProfile("methamphetamine", 15.7,
                                   (("mx", 95), ("us", 5)), (88.0, 99.5), True),
    "cocaine": DrugProfile("cocaine", 12.2,
                           (("co", 68), ("pe", 22), ("bo", 10)), (55.0, 92.0), False),
    "heroin": DrugProfile("heroin", 1.3,
                          (("mx", 92), ("co", 5), ("af", 3)), (25.0, 70.0), True),
    "marijuana": DrugProfile("marijuana", 9.3, (("mx", 88), ("us", 12)), None, False),
}

#: Transit countries of cocaine on its way to the U.S. border.
COCAINE_TRANSIT: tuple[tuple[str, int], ...] = (("mx", 85), ("gt", 10), ("hn", 5))

#: Conveyances by kind of place, and concealment methods by conveyance.
CONVEYANCES: dict[str, tuple[tuple[str, int], ...]] = {
    "land-port": (("passenger vehicle", 62), ("commercial truck", 18), ("pedestrian", 15),
                  ("bus", 5)),
    "mail-facility": (("international mail", 70), ("express consignment", 30)),
    "seaport": (("container vessel", 85), ("fishing vessel", 15)),
    "inland": (("passenger vehicle", 60), ("commercial truck", 25), ("bus", 15)),
}
CONCEALMENT: dict[str, tuple[str, ...]] = {
    "passenger vehicle": ("gas tank", "quarter panels", "spare tire", "dashboard compartment",
                          "seats", "bumper", "battery", "floor compartment"),
    "commercial truck": ("commingled with produce", "trailer floor", "tractor fuel tank",
                         "pallets", "refrigeration unit", "cab sleeper"),
    "pedestrian": ("body-carried", "backpack", "shoes", "groin area"),
    "bus": ("luggage", "overhead compartment"),
    "international mail": ("parcel", "inside electronics", "vacuum-sealed envelope"),
    "express consignment": ("parcel", "inside machinery parts", "candle wax"),
    "container vessel": ("shipping container", "container refrigeration unit",
                         "commingled with cargo"),
    "fishing vessel": ("hull compartment", "fish hold"),
}
VEHICLE_CONVEYANCES = frozenset({"passenger vehicle", "commercial truck"})
