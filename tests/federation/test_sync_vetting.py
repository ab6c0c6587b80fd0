"""A record released ``vetted-by:us.dea`` pulled by the vetted unit's node is visible there
at once: the DEA node's signed attestation of the vetting travels with it (both
backends; the DEA node is the real TAXII app, in process)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_witnessing import SEMAR, client_of, new_url, partner, semar_key  # noqa: F401

from statement_keys import TEST_KEYER
from taxii.taxiiworld import DEA, T, build_node
from tearline.errors import NotFound
from tearline.federation.sync import Puller
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit, Vetting
from tearline.model.record import build_record
from tearline.store import parties, vetting_attestations
from tearline.store.store import Store

UNTIL = datetime(2099, 1, 1, tzinfo=UTC)


def test_the_vetting_travels_signed_with_the_records_that_depend_on_it(
        new_url: Callable[[str], str], tmp_path: Path) -> None:  # noqa: F811
    dea_store, semar = Store.open(new_url("dea")), Store.open(new_url("semar"))
    dea = build_node(dea_store, tmp_path)
    client = client_of(dea)
    try:
        dea_store.write([build_record(
            "p-vetted", "Person", {"name": ["Vera Vetada"]}, DEA,
            Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="agr-semar"),
            keyer=TEST_KEYER)])
        with dea_store.transaction() as conn:
            parties.put_vetting(conn, Vetting("vet-1", "us.dea", "mx.semar.uie", T, UNTIL),
                                T, "ana@us.dea.sod")
        with semar.transaction() as conn:
            for agency, country in (("us.dea", "us"), ("mx.semar", "mx")):
                parties.put_agency(conn, Agency(agency, agency, country), T)
            for unit in ("us.dea.sod", "mx.semar.uie"):
                parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
            parties.put_agreement(conn, Agreement("agr-semar", "Agreement", "bilateral",
                                                  frozenset({"us.dea", "mx.semar"})), T)
        result = Puller(semar, partner(dea), node_key=semar_key(dea), own_agency="mx.semar",
                        node_name=SEMAR).run(client)
        assert result.records_stored >= 1 and result.refused == []
        assert any("recorded us.dea's vetting of mx.semar.uie" in n for n in result.notes)
        now = datetime.now(UTC)
        seen = semar.read(semar.subject("mx.semar.uie"), now, "p-vetted")
        assert "Vera Vetada" in seen.values("name")
        with semar.reading() as conn:
            (kept,) = [v for v in parties.vettings(conn) if v.by == "us.dea"]
            assert (kept.unit, kept.valid_from, kept.valid_until) == ("mx.semar.uie", T, UNTIL)
            assert vetting_attestations.last_attested(conn, "us.dea", "mx.semar.uie") is not None
        # another unit of semar's agency, not vetted by the DEA, still sees nothing
        with semar.transaction() as conn:
            parties.put_unit(conn, Unit("mx.semar.other", "mx.semar", "other"), T)
        with pytest.raises(NotFound):
            semar.read(semar.subject("mx.semar.other"), now, "p-vetted")
    finally:
        client.close()
        dea.close()
        dea_store.close()
        semar.close()
