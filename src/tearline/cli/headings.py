"""Column headings of the command line's tables, said in the reader's language.

A table's columns are named by the keys of the rows, which ``--format json`` and ``csv``
print as they are (data, the same in every language). A table is read by a person, so its
headings are said in the reader's language: each key is marked here with the context
``column`` (a key such as ``kind`` or ``state`` is a heading there, not the word elsewhere);
English shows the key itself. A key not listed is shown as it is.
"""

from __future__ import annotations

from tearline import i18n
from tearline.cli.language import cli_locale


def pgettext(context: str, message: str) -> str:
    """Mark ``message`` for the catalogs under ``context``; translated by :func:`heading`."""
    return message


#: The keys the command line's tables use as columns.
HEADINGS = frozenset({
    pgettext("column", "acknowledged"),
    pgettext("column", "actor"),
    pgettext("column", "added_at"),
    pgettext("column", "agency"),
    pgettext("column", "agreement"),
    pgettext("column", "already"),
    pgettext("column", "answer_reason"),
    pgettext("column", "answered_by"),
    pgettext("column", "approved_by"),
    pgettext("column", "asked_by"),
    pgettext("column", "at"),
    pgettext("column", "basis"),
    pgettext("column", "betweenness"),
    pgettext("column", "by"),
    pgettext("column", "caption"),
    pgettext("column", "central"),
    pgettext("column", "cert_sha256"),
    pgettext("column", "collection"),
    pgettext("column", "community"),
    pgettext("column", "confidence"),
    pgettext("column", "consent_id"),
    pgettext("column", "contact"),
    pgettext("column", "cursors"),
    pgettext("column", "daily_limit"),
    pgettext("column", "day"),
    pgettext("column", "decision"),
    pgettext("column", "degree"),
    pgettext("column", "designation"),
    pgettext("column", "detail"),
    pgettext("column", "direction"),
    pgettext("column", "due"),
    pgettext("column", "echo"),
    pgettext("column", "eigenvector"),
    pgettext("column", "entity_id"),
    pgettext("column", "event"),
    pgettext("column", "evidence"),
    pgettext("column", "expires"),
    pgettext("column", "expires_at"),
    pgettext("column", "foreign"),
    pgettext("column", "form"),
    pgettext("column", "from"),
    pgettext("column", "grade"),
    pgettext("column", "id"),
    pgettext("column", "index"),
    pgettext("column", "kind"),
    pgettext("column", "kinds"),
    pgettext("column", "label"),
    pgettext("column", "leaf_hash"),
    pgettext("column", "left"),
    pgettext("column", "list_id"),
    pgettext("column", "listed_name"),
    pgettext("column", "marking"),
    pgettext("column", "name"),
    pgettext("column", "named"),
    pgettext("column", "nature"),
    pgettext("column", "objects"),
    pgettext("column", "origin"),
    pgettext("column", "owner"),
    pgettext("column", "participation"),
    pgettext("column", "path"),
    pgettext("column", "peers"),
    pgettext("column", "pending"),
    pgettext("column", "people"),
    pgettext("column", "pinned"),
    pgettext("column", "planted_at"),
    pgettext("column", "planted_by"),
    pgettext("column", "portion"),
    pgettext("column", "prefix"),
    pgettext("column", "programs"),
    pgettext("column", "properties"),
    pgettext("column", "property"),
    pgettext("column", "rank"),
    pgettext("column", "reason"),
    pgettext("column", "reasons"),
    pgettext("column", "recalls"),
    pgettext("column", "recipient"),
    pgettext("column", "records"),
    pgettext("column", "refused"),
    pgettext("column", "refused_by"),
    pgettext("column", "registration"),
    pgettext("column", "release"),
    pgettext("column", "removed_at"),
    pgettext("column", "requested_by"),
    pgettext("column", "result"),
    pgettext("column", "returned_by"),
    pgettext("column", "revoked_at"),
    pgettext("column", "right"),
    pgettext("column", "schema"),
    pgettext("column", "scopes"),
    pgettext("column", "score"),
    pgettext("column", "selector"),
    pgettext("column", "since"),
    pgettext("column", "size"),
    pgettext("column", "skipped"),
    pgettext("column", "sources"),
    pgettext("column", "state"),
    pgettext("column", "statements"),
    pgettext("column", "status"),
    pgettext("column", "stix"),
    pgettext("column", "stored"),
    pgettext("column", "subject"),
    pgettext("column", "synthetic"),
    pgettext("column", "tier"),
    pgettext("column", "to"),
    pgettext("column", "to_unit"),
    pgettext("column", "unit"),
    pgettext("column", "url"),
    pgettext("column", "used"),
    pgettext("column", "user"),
    pgettext("column", "value"),
    pgettext("column", "visible"),
    pgettext("column", "why"),
    pgettext("column", "withdrawn"),
})


def heading(key: str) -> str:
    """The column ``key`` as the reader's table names it."""
    if key not in HEADINGS:
        return key
    return str(i18n.translations(cli_locale()).pgettext("column", key))
