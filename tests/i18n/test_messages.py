"""Error messages said in the reader's language, their values untouched."""

from __future__ import annotations

import pickle

from tearline.errors import InputError, NotFound, PolicyDenied, Problem, ValidationError, listed, tr
from tearline.i18n.messages import content_language, localize, say


def test_a_marked_message_reads_as_its_english_text() -> None:
    message = tr("no record {id!r}", id="us.dea..x")
    assert message == "no record 'us.dea..x'"
    assert NotFound(message).message == "no record 'us.dea..x'"


def test_a_marked_message_is_said_in_spanish_with_its_values_as_they_are() -> None:
    error = NotFound(tr("no record {id!r}", id="us.dea..{id}"))
    assert localize(error, "es_MX") == "no existe el registro 'us.dea..{id}'"
    assert localize(error, "en_US") == "no record 'us.dea..{id}'"


def test_an_input_error_translates_its_summary_and_each_problem() -> None:
    error = ValidationError(tr("the period is empty"), [
        Problem(tr("start is after end"), column="period"), Problem("free text", line=3)])
    assert localize(error, "es_MX").splitlines() == [
        "el periodo está vacío", "  - period: el inicio es posterior al fin", "  - 3: free text"]
    many = InputError(tr("the request is invalid"), [Problem(str(n)) for n in range(23)])
    assert localize(many, "es_MX").splitlines()[-1] == "  … y 3 más"
    assert many.message.splitlines()[-1] == "  … and 3 more"


def test_an_unmarked_message_is_looked_up_whole_and_otherwise_stays_english() -> None:
    assert say("no such resource", "es_MX") == "no existe ese recurso"
    assert say("a sentence no catalog holds", "es_MX") == "a sentence no catalog holds"


def test_content_language_is_a_bcp47_tag() -> None:
    assert content_language("es_MX") == "es-MX"


def test_a_marked_message_survives_pickling_whole() -> None:
    error = pickle.loads(pickle.dumps(NotFound(tr("no record {id!r}", id="x"))))
    assert localize(error, "es_MX") == "no existe el registro 'x'"


def test_reasons_nested_in_a_denial_are_said_in_spanish_however_deep() -> None:
    inner = listed([tr("TLP:{tlp} is not {names}", tlp="AMBER", names="CLEAR/GREEN"),
                    "mx.semar.uie"])
    denial = PolicyDenied(tr("{message}: {reasons}", message=tr("you may not recall {id}",
                                                                  id="x"),
                             reasons=listed([tr("not readable: {reasons}", reasons=inner)])))
    assert denial.message == "you may not recall x: not readable: TLP:AMBER is not CLEAR/GREEN; "\
        "mx.semar.uie"
    assert localize(denial, "es_MX") == ("usted no puede retirar las difusiones de x: no "
                                         "legible: TLP:AMBER no es CLEAR/GREEN; mx.semar.uie")
    copied = pickle.loads(pickle.dumps(denial.message))
    assert say(copied, "es_MX") == localize(denial, "es_MX")
