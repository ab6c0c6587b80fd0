"""Text keys for names and addresses: case, accents, punctuation and order ignored.

Spanish names arrive with and without accents (``Joaquín``/``JOAQUIN``), with the
surnames first or last, with particles (``de la``, ``del``); addresses with and
without abbreviations (``Calle``/``C.``, ``Avenida``/``Av.``, ``número``/``#``). The
keys below make those spellings equal without making different people equal:
every word is kept, only their form and order are forgotten.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-zñ]+")
#: Particles of Spanish names, dropped: "María de la Luz" = "Maria Luz".
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "dos", "van", "von"})
#: Address words and their one written form.
ADDRESS_WORDS = {
    "calle": "c", "cll": "c", "avenida": "av", "ave": "av", "avda": "av",
    "boulevard": "blvd", "bulevar": "blvd", "blv": "blvd", "calzada": "calz",
    "carretera": "carr", "colonia": "col", "fraccionamiento": "fracc",
    "numero": "no", "num": "no", "nro": "no", "n": "no", "street": "st", "avenue": "av",
    "road": "rd", "kilometro": "km", "interior": "int", "exterior": "ext", "sin": "s",
    "codigo": "cp", "postal": "",
}


def fold(text: str, keep_case: bool = False) -> str:
    """NFKD, combining marks removed (but ñ kept: "Peña" is not "Pena"), lower case."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ñ", "\x00").replace("Ñ", "\x01")
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    stripped = stripped.replace("\x00", "ñ").replace("\x01", "Ñ")
    return stripped if keep_case else stripped.casefold()


def name_key(name: str) -> str:
    """The words of a name, folded, particles dropped, sorted."""
    words = [w for w in _NOT_WORD.split(fold(name)) if w and w not in PARTICLES]
    return " ".join(sorted(words))


def address_key(text: str) -> str:
    """The words of an address, folded, abbreviations unified, in their order."""
    words = []
    for word in _NOT_WORD.split(fold(text.replace("#", " numero "))):
        if not word:
            continue
        word = ADDRESS_WORDS.get(word, word)
        if word:
            words.append(word)
    return " ".join(words)
