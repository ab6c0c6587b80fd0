"""The site served by several worker processes (``tearline serve --workers N``).

Each worker builds its own application from the environment
(``cli.web.site_from_environment``): its own store connections, session lookups,
token cache and audit group writer, on one database. Two such applications on one
SQLite file stand for two workers here; the kernel hands each request to either, so a
session, a form's CSRF token, a sign-out and a language preference made on one must
hold on the other, and both writers' audit entries must form one verifiable chain.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from webworld import PASSWORD, Browser, Site, build_site

from store_template import copy_to
from tearline.cli.web import site_from_environment
from tearline.store import audit_log, audit_verify, web_accounts

ANALYST = "ana@mx.semar.uie"


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory,
            store_template: Path) -> Iterator[tuple[Site, object, object]]:
    folder: Path = tmp_path_factory.mktemp("workers")
    seeded = build_site(copy_to(store_template, f"sqlite:///{folder / 'tearline.sqlite'}"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TEARLINE_WORKSPACE", str(folder))
        env.setenv("TEARLINE_DB_URL", f"sqlite:///{folder / 'tearline.sqlite'}")
        made = site_from_environment(), site_from_environment()
    gc.unfreeze()  # each worker froze its heap (settle_heap): this process goes on testing
    yield seeded, *made
    for app in made:
        app.state.web.store.close()
    seeded.store.close()


def _to(source: Browser, target: Browser) -> Browser:
    """The same person's next request, which the kernel gave to the other worker."""
    target.client.cookies = source.client.cookies
    target.csrf = source.csrf
    return target


def test_a_session_and_its_forms_hold_on_every_worker(
        workers: tuple[Site, object, object]) -> None:
    seeded, first, second = workers
    a, b = Browser(first), Browser(second)  # type: ignore[arg-type]
    try:
        a.get("/web/signin")  # the sign-in form (and its pre-session token) from one worker
        signed = _to(a, b).post("/web/signin", {"name": ANALYST, "password": PASSWORD,
                                                "next": "/web/search"})
        assert signed.status_code == 303  # accepted by the other
        assert ANALYST in _to(b, a).get("/web/search?q=guzman").text
        # The session's CSRF token, from a page of one worker, is good on the other.
        switched = _to(a, b).post("/web/language", {"locale": "es_MX", "next": "/web/search"})
        assert switched.status_code == 303
        del a.client.cookies["tearline_lang"]  # only the preference saved in the store
        with seeded.store.reading() as conn:  # read with the session, in one statement
            found = web_accounts.find_session(conn, signed.cookies["tearline_session"])
        assert found is not None and found.locale == "es_MX"
        page = _to(b, a).get("/web/search").text
        assert '<html lang="es-MX">' in page
        assert _to(a, b).post("/web/language", {"locale": "en_US"},
                              csrf="0" * 64).status_code == 403
        # Signed out on one worker: refused at once by the other.
        assert _to(b, a).post("/web/signout", {}).status_code == 303
        b.client.cookies = {"tearline_session": signed.cookies["tearline_session"]}
        assert b.get("/web/search", follow=False).status_code == 303
    finally:
        a.close()
        b.close()
    with seeded.store.reading() as conn:  # both workers' group writers: one chain
        assert audit_verify.verify(conn).size == audit_log.size(conn)
        kinds = [e.body.decode() for e in audit_log.entries(conn, None, None, None, None, 100_000)]
    assert sum('"record.read"' in k and '"search"' in k for k in kinds) >= 1
