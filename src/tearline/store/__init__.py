"""Persistence on SQLite (default) and PostgreSQL: the only place with SQL.

This is the store's public face, and the only door the rest of tearline uses
(``tests/arch`` refuses an import of a store module from outside ``store/``):

* the :class:`Store` facade — transactions, reading connections, the policy-filtered
  reads with their audit entries, their ``async`` forms for servers;
* the types that cross the door (:class:`Peer`, :class:`Visibility`, …) and
  ``Connection``, the handle a transaction or a read gives out, passed back to the
  named functions and never running SQL outside the store;
* named function modules, each one concern (``audit_log``, ``parties``, ``peers``,
  ``sync_state``, …), listed in :data:`MODULES`.

Names are loaded on first use (PEP 562), so a process that needs one store module —
the worker processes of ``audit verify`` start from ``audit_scan`` — does not import
the rest (SQLAlchemy, Arrow, the model).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: The function modules of the face: ``from tearline.store import audit_log``.
MODULES = (
    "api_tokens",
    "audit_checkpoints",
    "audit_events",
    "audit_log",
    "audit_query",
    "audit_verify",
    "consent_documents",
    "consent_requests",
    "deconflict_index",
    "deconflict_keys",
    "delivery_receipts",
    "edits",
    "facets",
    "feed",
    "holdings",
    "legal_basis",
    "marking_changes",
    "oversight",
    "oversight_reports",
    "parties",
    "peers",
    "published_log",
    "reader",
    "release_approvals",
    "releases",
    "resolve_judgements",
    "resolve_views",
    "series",
    "sync_state",
    "vetting_attestations",
    "trace_store",
    "web_accounts",
    "release_reads",
)

#: Classes and functions of the face, by the module that defines them.
_NAMES = {
    "Connection": "sqlalchemy",
    "Store": "tearline.store.store",
    "Pending": "tearline.store.audit_group",
    "Peer": "tearline.store.peers",
    "Recall": "tearline.store.recalls",
    "recalls_for": "tearline.store.recalls",
    "Relay": "tearline.store.relay",
    "Visibility": "tearline.store.visibility",
    "WriteSummary": "tearline.store.writer",
    "write_records": "tearline.store.writer",
    "refused_writes": "tearline.store.write_guard",
    "stored_schemas": "tearline.store.write_guard",
    "explain_record": "tearline.store.explain",
    "explain_audience": "tearline.store.explain",
    "query_tokens": "tearline.store.tokens",
    "rank_of": "tearline.store.ranking",
    "Position": "tearline.store.search",
    "Filters": "tearline.store.filters",
    "ts": "tearline.store.tables",
    "upgrade": "tearline.store.engine",
    "require_current": "tearline.store.engine",
    "node_key_created": "tearline.store.audit_events",
    "MarkingChange": "tearline.store.marking_changes",
    "set_marking": "tearline.store.marking_changes",
    "read_cbp_series": "tearline.store.series",
    "read_unodc_series": "tearline.store.series",
    "import_series": "tearline.store.series",
    "check_markings": "tearline.store.legal_basis",
    "basis_facts": "tearline.store.legal_basis",
    "add_peer": "tearline.store.peers",
    "remove_peer": "tearline.store.peers",
    "peer_by_certificate": "tearline.store.peers",
    "FeedItem": "tearline.store.feed",
    "Shown": "tearline.store.audit_query",
    "TokenRow": "tearline.store.api_tokens",
}

__all__ = [
    "api_tokens", "audit_checkpoints", "audit_events", "audit_log", "audit_query",
    "audit_verify", "consent_documents", "deconflict_index", "deconflict_keys", "edits", "feed",
    "facets",
    "holdings", "legal_basis", "marking_changes", "parties", "peers", "published_log", "reader",
    "oversight", "oversight_reports", "release_approvals",
    "releases", "resolve_judgements", "resolve_views", "series", "sync_state",
    "vetting_attestations", "Connection", "FeedItem", "web_accounts",
    "consent_requests", "delivery_receipts",
    "Filters", "MarkingChange", "Position", "Peer", "Pending", "Recall", "Relay", "Shown",
    "Store", "TokenRow", "Visibility", "WriteSummary", "add_peer", "basis_facts",
    "check_markings", "explain_record", "import_series", "node_key_created",
    "peer_by_certificate", "query_tokens", "rank_of", "rank_of", "read_cbp_series",
    "read_unodc_series", "recalls_for", "refused_writes", "remove_peer", "require_current",
    "set_marking", "stored_schemas", "ts", "upgrade", "write_records",
    "trace_store",
    "explain_audience",
    "release_reads",
]

if TYPE_CHECKING:  # the names as mypy sees them; at run time, __getattr__ below
    from sqlalchemy import Connection

    from tearline.store import (
        api_tokens,
        audit_checkpoints,
        audit_events,
        audit_log,
        audit_query,
        audit_verify,
        consent_documents,
        consent_requests,
        deconflict_index,
        deconflict_keys,
        delivery_receipts,
        edits,
        facets,
        feed,
        holdings,
        legal_basis,
        marking_changes,
        oversight,
        oversight_reports,
        parties,
        peers,
        published_log,
        reader,
        release_approvals,
        release_reads,
        releases,
        resolve_judgements,
        resolve_views,
        series,
        sync_state,
        trace_store,
        vetting_attestations,
        web_accounts,
    )
    from tearline.store.api_tokens import TokenRow
    from tearline.store.audit_events import node_key_created
    from tearline.store.audit_group import Pending
    from tearline.store.audit_query import Shown
    from tearline.store.engine import require_current, upgrade
    from tearline.store.explain import explain_audience, explain_record
    from tearline.store.feed import FeedItem
    from tearline.store.filters import Filters
    from tearline.store.legal_basis import basis_facts, check_markings
    from tearline.store.marking_changes import MarkingChange, set_marking
    from tearline.store.peers import Peer, add_peer, peer_by_certificate, remove_peer
    from tearline.store.ranking import rank_of
    from tearline.store.recalls import Recall, recalls_for
    from tearline.store.relay import Relay
    from tearline.store.search import Position
    from tearline.store.series import import_series, read_cbp_series, read_unodc_series
    from tearline.store.store import Store
    from tearline.store.tables import ts
    from tearline.store.tokens import query_tokens
    from tearline.store.visibility import Visibility
    from tearline.store.write_guard import refused_writes, stored_schemas
    from tearline.store.writer import WriteSummary, write_records


def __getattr__(name: str) -> Any:
    if name in MODULES:
        return import_module(f"{__name__}.{name}")
    home = _NAMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
