"""Generator of the Spanish-name benchmark set: two agencies' lists of the same people.

    .venv/bin/python bench/_spanish_names.py --seed 1 --people 1500 --out DIR

How the set is made (everything from the seed, nothing downloaded):

1. **Families.** Each family has a paternal and a maternal surname drawn from common
   Mexican surnames with a Zipf skew (so that namesakes happen as they do); its
   children share both surnames and have different given names (often compound:
   José Luis, María de Jesús), dates of birth a few years apart. **Cousins** are
   children of the father's brother: same paternal surname, another maternal one,
   and, one time in three, the same given name (named after the grandfather).
   **Namesakes** are unrelated people given the exact full name of someone else,
   born in another year or the same year.
2. **Agency A** (a Mexican unit) writes each person as Given Paternal Maternal with
   accents, the date of birth as DD/MM/YYYY, the CURP (valid, with its check digit)
   for 30 %, the sex.
3. **Agency B** (a U.S. agency) holds 70 % of A's people, written with the
   variations seen across agencies: accents dropped, upper case, surnames first with
   a comma, the maternal surname dropped, a compound given name shortened or
   abbreviated (Ma., Fco., J.), phonetic spellings (z/s, v/b, ll/y, c/s, silent h,
   x/j), a typo, a nickname "alias El …" (shared by A in half the cases); the date
   of birth missing (20 %), with day and month swapped or one digit wrong (10 %); the
   CURP for half of those A knows it for, a passport for 10 % on both sides.
4. **Hard negatives in B:** for half of A's people, a sibling, a cousin or a
   namesake (a third each), written with the same variations; plus unrelated people.

Truth is the list of (A id, B id) pairs of one person. Two seeds give a tuning set
and a held-out set; ``bench/resolve.py`` tunes nothing and reports both.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

MALE = ("José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Francisco", "Antonio", "Pedro",
        "Manuel", "Jorge", "Ricardo", "Alejandro", "Fernando", "Javier", "Rafael", "Héctor",
        "Sergio", "Arturo", "Roberto", "Eduardo", "Raúl", "Víctor", "Joaquín", "Ismael",
        "Ovidio", "Guillermo", "Gerardo", "Ignacio", "Ángel", "Rodolfo", "Armando", "Salvador",
        "Cecilio", "Óscar", "Vicente", "Gustavo", "Alfredo", "Enrique", "Rubén")
FEMALE = ("María", "Guadalupe", "Ana", "Rosa", "Patricia", "Leticia", "Elena", "Verónica",
          "Claudia", "Alejandra", "Gabriela", "Silvia", "Yolanda", "Cecilia", "Isabel",
          "Lourdes", "Beatriz", "Xóchitl", "Ximena", "Araceli", "Sofía", "Teresa", "Laura")
COMPOUND_M = ("José Luis", "Juan Carlos", "Miguel Ángel", "José Antonio", "Francisco Javier",
              "Luis Alberto", "Juan Manuel", "José de Jesús", "Jesús Alfredo", "Víctor Manuel")
COMPOUND_F = ("María de Jesús", "María Guadalupe", "María del Carmen", "Ana María",
              "María de los Ángeles", "Rosa María", "María Elena", "María Isabel")
SURNAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Jiménez", "Reyes", "Díaz",
    "Torres", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo",
    "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez",
    "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "Salazar",
    "Zambada", "Beltrán", "Leyva", "Caro", "Quintero", "Carrillo", "Fuentes", "Arellano",
    "Félix", "Cárdenas", "Guillén", "Treviño", "Zetina", "Valencia", "Villarreal", "Ybarra",
    "Olvera", "Zavala", "Bravo", "Llamas", "Yáñez", "Cervantes", "Ceballos", "Zepeda",
    "Ochoa", "Hidalgo", "Esparragoza", "Loera", "Coronel", "Aispuro", "Salcido", "Vallejo",
    "Villalobos", "Cisneros", "Ortega", "Zúñiga", "Valdez", "Ávila", "Bautista", "Xicoténcatl")
NICKS = ("Chapo", "Mayo", "Güero", "Flaco", "Gordo", "Chino", "Compadre", "Mochomo", "Azul",
         "Señor", "Licenciado", "Ingeniero", "Padrino", "Rayo", "Toro")
STATES = ("SL", "JC", "BC", "SR", "CH", "DG", "MN", "GR", "TS", "NL", "DF", "MC", "VZ", "OC")
PHONETIC = (("z", "s"), ("s", "z"), ("v", "b"), ("b", "v"), ("ll", "y"), ("y", "ll"),
            ("ce", "se"), ("ci", "si"), ("h", ""), ("x", "j"), ("j", "x"), ("gi", "ji"))
ABBREV = {"María": "Ma.", "Francisco": "Fco.", "Guadalupe": "Gpe.", "José": "J."}


@dataclass(frozen=True)
class Person:
    key: int
    given: str
    paternal: str
    maternal: str
    sex: str
    born: date
    state: str
    nick: str = ""
    passport: str = ""


def _bare(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def curp_of(p: Person, rng: random.Random) -> str:
    """A CURP with a valid check digit for the person."""
    pat, mat, giv = _bare(p.paternal).upper(), _bare(p.maternal).upper(), _bare(p.given).upper()
    given = giv.split()[1] if giv.split()[0] in ("JOSE", "MARIA") and " " in giv else giv
    vowel = next((c for c in pat[1:] if c in "AEIOU"), "X")
    cons = [next((c for c in w[1:] if c.isalpha() and c not in "AEIOU"), "X")
            for w in (pat, mat, given.split()[0])]
    homo = str(rng.randrange(10)) if p.born.year < 2000 else rng.choice("ABCDEFG")
    first = (pat[0] + vowel + mat[0] + given[0] + p.born.strftime("%y%m%d") + p.sex + p.state
             + "".join(cons) + homo)
    alphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
    total = sum(alphabet.index(ch) * (18 - i) for i, ch in enumerate(first))
    return first + str((10 - total % 10) % 10)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_key = 0
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(SURNAMES))]
        self.weights = weights

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, self.weights)[0]

    def given(self, sex: str) -> str:
        if self.rng.random() < 0.4:
            return self.rng.choice(COMPOUND_M if sex == "H" else COMPOUND_F)
        return self.rng.choice(MALE if sex == "H" else FEMALE)

    def person(self, paternal: str, maternal: str, born: date, given: str = "",
               sex: str = "") -> Person:
        self.next_key += 1
        sex = sex or self.rng.choice("HM")
        return Person(self.next_key, given or self.given(sex), paternal, maternal, sex, born,
                      self.rng.choice(STATES),
                      self.rng.choice(NICKS) if self.rng.random() < 0.12 else "",
                      f"G{self.rng.randrange(10**7, 10**8)}" if self.rng.random() < 0.1 else "")

    def born(self) -> date:
        return date(1955, 1, 1) + timedelta(days=self.rng.randrange(365 * 45))

    def relative(self, p: Person) -> Person:
        kind = self.rng.randrange(3)
        if kind == 0:  # sibling: same surnames, another given name
            given = p.given
            while given == p.given:
                given = self.given(p.sex)
            born = p.born + timedelta(days=self.rng.choice((-1, 1)) * self.rng.randrange(300, 3000))
            return self.person(p.paternal, p.maternal, born, given, p.sex)
        if kind == 1:  # cousin: same paternal surname, another maternal one
            maternal = p.maternal
            while maternal == p.maternal:
                maternal = self.surname()
            given = p.given if self.rng.random() < 0.33 else self.given(p.sex)
            born = p.born + timedelta(days=self.rng.randrange(-4000, 4000))
            return self.person(p.paternal, maternal, born, given, p.sex)
        born = self.born() if self.rng.random() < 0.7 else p.born.replace(
            month=1 + (p.born.month + self.rng.randrange(1, 11)) % 12,
            day=self.rng.randint(1, 28))
        return self.person(p.paternal, p.maternal, born, p.given, p.sex)  # namesake


def _entity(rid: str, name: str, born: str, ids: list[str], sex: str,
            passport: str) -> dict[str, Any]:
    props: dict[str, list[str]] = {"name": [name], "gender": ["male" if sex == "H" else "female"]}
    if born:
        props["birthDate"] = [born]
    if ids:
        props["idNumber"] = ids
    if passport:
        props["passportNumber"] = [passport]
    return {"id": rid, "schema": "Person", "properties": props}


def write_a(g: Generator, p: Person, nick: bool) -> dict[str, Any]:
    name = f"{p.given} {p.paternal} {p.maternal}"
    if nick and p.nick:
        name += f" alias El {p.nick}"
    ids = [curp_of(p, random.Random(p.key))] if g.rng.random() < 0.3 else []
    return _entity(f"A{p.key}", name, p.born.strftime("%d/%m/%Y"), ids, p.sex, p.passport)


def _phonetic(word: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in PHONETIC if a in word.lower()]
    if not options:
        return word
    a, b = rng.choice(options)
    i = word.lower().index(a)
    return word[:i] + b + word[i + len(a):] if i else (b.capitalize() + word[len(a):])


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if rng.random() < 0.5 \
        else word[:i] + word[i + 1:]


def write_b(g: Generator, p: Person, a_entity: dict[str, Any] | None, nick: bool
            ) -> dict[str, Any]:
    rng = g.rng
    given = p.given.split()
    if len(given) > 1 and rng.random() < 0.4:  # compound given name shortened
        given = [given[-1]] if rng.random() < 0.5 else [given[0]]
    elif given[0] in ABBREV and rng.random() < 0.35:
        given[0] = ABBREV[given[0]]
    paternal, maternal = p.paternal, p.maternal if rng.random() > 0.3 else ""
    words = [*given, paternal, maternal]
    words = [_phonetic(w, rng) if w and rng.random() < 0.15 else w for w in words]
    words = [_typo(w, rng) if w and rng.random() < 0.05 else w for w in words]
    *given, paternal, maternal = words
    surnames = " ".join(w for w in (paternal, maternal) if w)
    first = " ".join(given)
    name = f"{surnames}, {first}" if rng.random() < 0.2 else f"{first} {surnames}"
    if rng.random() < 0.7:
        name = _bare(name)
    if rng.random() < 0.5:
        name = name.upper()
    if nick and p.nick:
        name += f' alias "El {p.nick}"'
    born = p.born
    roll = rng.random()
    text = born.isoformat()
    if roll < 0.2:
        text = ""
    elif roll < 0.25 and born.day <= 12:
        text = f"{born.year}-{born.day:02d}-{born.month:02d}"
    elif roll < 0.3:
        digits = list(born.strftime("%Y%m%d"))
        i = rng.choice((3, 5, 7))
        digits[i] = str((int(digits[i]) + 1) % 10)
        text = f"{''.join(digits[:4])}-{''.join(digits[4:6])}-{''.join(digits[6:])}"
    ids = a_entity["properties"].get("idNumber", []) if a_entity and rng.random() < 0.5 else []
    return _entity(f"B{p.key}", name, text, list(ids), p.sex, p.passport)


def generate(seed: int, people: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                              list[tuple[str, str]]]:
    """Agency A's list, agency B's list and the true pairs (see the module docstring)."""
    g = Generator(seed)
    persons: list[Person] = []
    while len(persons) < people:  # families of one to four children
        paternal, maternal, born = g.surname(), g.surname(), g.born()
        for _ in range(g.rng.randint(1, 4)):
            persons.append(g.person(paternal, maternal, born))
            born += timedelta(days=g.rng.randrange(400, 2500))
    left, right, truth = [], [], []
    for p in persons[:people]:
        nick = g.rng.random() < 0.5
        a = write_a(g, p, nick)
        left.append(a)
        if g.rng.random() < 0.7:
            right.append(write_b(g, p, a, nick))
            truth.append((a["id"], f"B{p.key}"))
        if g.rng.random() < 0.5:
            right.append(write_b(g, g.relative(p), None, False))
    for _ in range(people // 5):  # unrelated people
        right.append(write_b(g, g.person(g.surname(), g.surname(), g.born()), None, False))
    g.rng.shuffle(right)
    return left, right, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    left, right, truth = generate(args.seed, args.people)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("left.jsonl", left), ("right.jsonl", right)):
        (args.out / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                             for r in rows), encoding="utf-8")
    (args.out / "truth.csv").write_text("".join(f"{a},{b}\n" for a, b in truth))


if __name__ == "__main__":
    main()
