"""Word lists for Mexican person names: particles, given names, abbreviations, hypocorisms.

All entries are folded (lower case, no accents). The given-name list is how a parser
tells "José Luis Pérez" (a compound given name and one surname) from "Juan Pérez
López" (one given name and two surnames); it holds common Mexican given names, not
every name, so an unknown word in the middle of three is read as a surname.
"""

from __future__ import annotations

#: Particles that join the word after them: "de la Garza", "María del Carmen".
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "van", "von", "di"})

#: Words that introduce a nickname: "alias El Chapo", "a.k.a.", "(a)".
ALIAS_MARKERS = ("alias", "aka", "a k a", "apodo", "apodado", "conocido como",
                 "tambien conocido como")

#: Articles that open a nickname and carry no weight in it ("El Chapo" ~ "Chapo").
NICKNAME_ARTICLES = frozenset({"el", "la", "los", "las"})

#: Abbreviations of given names, with and without their period.
ABBREVIATIONS: dict[str, str] = {
    "ma": "maria", "m a": "maria", "fco": "francisco", "gpe": "guadalupe", "jse": "jose",
    "jf": "jose", "ant": "antonio", "fdo": "fernando", "ma del": "maria del",
    "mig": "miguel", "rdo": "ricardo", "alej": "alejandro", "guill": "guillermo",
    "ign": "ignacio", "jes": "jesus", "gmo": "guillermo", "jsus": "jesus",
}

#: Familiar forms of given names → the given name they stand for.
HYPOCORISMS: dict[str, str] = {
    "pepe": "jose", "chepe": "jose", "paco": "francisco", "pancho": "francisco",
    "kiko": "francisco", "chuy": "jesus", "chucho": "jesus", "lupe": "guadalupe",
    "lupita": "guadalupe", "nacho": "ignacio", "memo": "guillermo", "chava": "salvador",
    "lalo": "eduardo", "tono": "antonio", "quique": "enrique", "chente": "vicente",
    "checo": "sergio", "chelo": "consuelo", "lencho": "lorenzo", "nando": "fernando",
    "rafa": "rafael", "beto": "alberto", "toncho": "alfonso", "poncho": "alfonso",
    "goyo": "gregorio", "licha": "alicia", "concha": "concepcion", "conchita": "concepcion",
    "lola": "dolores", "charo": "rosario", "pili": "pilar", "rulo": "raul", "meche": "mercedes",
    "javi": "javier", "alex": "alejandro", "manolo": "manuel", "pedrito": "pedro",
    "juancho": "juan", "mayo": "ismael", "nico": "nicolas", "tavo": "gustavo", "fito": "adolfo",
}

#: Words a given name continues with after a particle: "María de Jesús", "del Carmen".
MARIAN = frozenset({
    "jesus", "carmen", "angeles", "luz", "rosario", "guadalupe", "lourdes", "refugio",
    "dolores", "socorro", "paz", "fatima", "montserrat", "pilar", "consuelo", "mercedes",
    "soledad", "jose", "cruz", "rocio", "asuncion", "concepcion", "trinidad", "jesus maria",
    "los angeles", "la luz", "la paz", "la cruz", "san juan",
})

#: Common Mexican given names (folded).
GIVEN_NAMES = frozenset("""
aaron abel abelardo abraham adan adolfo adrian adriana agustin alan alba alberto alejandra
alejandro alfonso alfredo alicia alma alonso alvaro amado amalia ana andrea andres angel
angela angelica anselmo antonia antonio araceli arcadio armando arturo aurelio aurora
baltazar beatriz benito benjamin bernardo blanca brenda bruno camila carla carlos carmen
carolina catalina cecilia cesar christian cirilo claudia clemente concepcion consuelo
cristian cristina cruz cuauhtemoc daniel daniela dario david diana diego dolores domingo
edgar eduardo efrain elena elias eliseo elizabeth eloy elsa elvira emilio emiliano enrique
ernesto esperanza esteban estela eugenio eva ezequiel fabian federico felipe felix fernanda
fernando fidel filiberto francisca francisco gabriel gabriela gerardo german gilberto
gloria gonzalo graciela gregorio griselda guadalupe guillermo gustavo hector heriberto
hilario hugo humberto ignacio ines irma isaac isabel ismael israel ivan jacinto jaime
javier jesus joaquin jorge jose josefina juan juana julia julian julio karla laura leonardo
leticia lidia lorena lorenzo lucia luis luisa manuel marcela marco marcos margarita maria
mariana mario marisol marta martha martin mateo mauricio maximiliano miguel mireya moises
monica nancy natalia nestor nicolas noe norma octavio ofelia olga omar oscar osvaldo pablo
patricia paula pedro pilar rafael ramiro ramon raquel raul refugio rene ricardo roberto
rocio rodolfo rodrigo rogelio rolando roman rosa rosalia rosario ruben salvador samuel
sandra santiago sara saul sebastian sergio silvia socorro sofia sonia susana teresa tomas
ulises valentin valeria veronica vicente victor victoria virginia ximena yolanda
zacarias serafin
""".split())
