"""The one error hierarchy of tearline.

Every failure that tearline reports is an instance of :class:`TearlineError`.
Foreign exceptions (database drivers, parsers, HTTP clients) are translated where
they enter, with ``raise XError(...) from exc``; the HTTP status of each class is
mapped in one place (``HTTP_STATUS`` below) and rendered in one JSON envelope.

::

    TearlineError
    ├── InputError ................ bad input from a person or a peer (422)
    │   ├── ValidationError ....... one or more values fail validation
    │   ├── IngestError ........... a file was rejected; nothing from it is stored
    │   ├── MappingError .......... a CSV mapping file is unusable
    │   ├── MarkingError .......... a marking is malformed or not allowed
    │   │   └── LegalBasisError ... its legal basis is no agreement in force that
    │   │                           binds the parties
    │   ├── SelectorError ......... a deconfliction selector cannot be normalized
    │   ├── TooLarge .............. a request body exceeds the size limit (413)
    │   └── UnsupportedMethod ..... the HTTP method is not allowed on that path (405)
    ├── NotFound .................. no such object *for this subject* (404);
    │                               a hidden record answers exactly like a missing one
    ├── PolicyDenied .............. the policy refuses an action, with reasons (403)
    ├── Conflict .................. the object exists or changed meanwhile (409)
    ├── AuthenticationError ....... no valid credentials (401)
    ├── RateLimited ............... too many attempts; retry later (429)
    │   └── QuotaExceeded ......... a unit's daily deconfliction quota is spent
    ├── AuditError ................ the audit log or a proof does not verify
    │   ├── IntegrityError ........ a stored entry or subtree hash was altered
    │   ├── ProofError ............ an inclusion/consistency proof or signature fails
    │   └── SplitViewError ........ two incompatible views of one log were seen
    ├── StoreError ................ the database failed (503)
    ├── PeerError ................. a federation peer is unreachable or answered
    │                               outside the TAXII protocol (502)
    └── ConfigError ............... the node is misconfigured
        └── NotConfigured ......... a feature this node has not been set up for (409)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ":".join(
            str(part) for part in (self.file, self.line, self.column) if part is not None
        )
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {"message": self.message}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        return out


class TearlineError(Exception):
    """Base of every error tearline raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def details(self) -> dict[str, object]:
        return {}


class InputError(TearlineError):
    """Bad input; the caller can fix it."""

    code = "invalid_input"

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if self.problems and len(self.problems) <= 20:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        elif self.problems:
            shown = "\n".join(f"  - {p}" for p in self.problems[:20])
            message = f"{message}\n{shown}\n  … and {len(self.problems) - 20} more"
        super().__init__(message)

    def details(self) -> dict[str, object]:
        return {"problems": [p.to_dict() for p in self.problems]}


class ValidationError(InputError):
    code = "validation_failed"


class IngestError(InputError):
    code = "ingest_rejected"


class MappingError(InputError):
    code = "bad_mapping"


class MarkingError(InputError):
    code = "bad_marking"


class LegalBasisError(MarkingError):
    """A legal basis names no agreement, one not in force, or one that does not bind
    the parties; the message says which agreement and why."""

    code = "bad_legal_basis"


class SelectorError(ValidationError):
    """A deconfliction selector is not a valid value of its kind (a phone number that
    is no number, a CURP with a wrong check digit); the message says which and why."""

    code = "bad_selector"


class TooLarge(InputError):
    code = "too_large"


class UnsupportedMethod(InputError):
    code = "method_not_allowed"


class NotFound(TearlineError):
    """The object does not exist for the asking subject.

    The message must never differ between "hidden" and "never existed".
    """

    code = "not_found"


class PolicyDenied(TearlineError):
    code = "denied"

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reasons = tuple(reasons)

    def details(self) -> dict[str, object]:
        return {"reasons": list(self.reasons)}


class Conflict(TearlineError):
    code = "conflict"


class AuthenticationError(TearlineError):
    code = "unauthenticated"


class RateLimited(TearlineError):
    """Too many attempts from one client or on one credential; ``retry_after`` seconds."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}


class QuotaExceeded(RateLimited):
    """A unit asked a key-share holder for more OPRF evaluations today than its quota
    allows; the refusal is in the holder's audit log."""

    code = "quota_exceeded"


class AuditError(TearlineError):
    code = "audit_failed"


class IntegrityError(AuditError):
    """The stored log does not verify; ``index`` is the first bad entry."""

    code = "audit_integrity"

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index

    def details(self) -> dict[str, object]:
        return {} if self.index is None else {"index": self.index}


class ProofError(AuditError):
    code = "bad_proof"


class SplitViewError(AuditError):
    code = "split_view"


class StoreError(TearlineError):
    code = "store_unavailable"


class ConfigError(TearlineError):
    code = "bad_config"


class NotConfigured(ConfigError):
    """The node has not been set up for what was asked (deconfliction without a key
    share or a node identity): the request conflicts with the node's state (409) — not
    a server error, and the same answer whatever the request holds."""

    code = "not_configured"


class PeerError(TearlineError):
    """A federation peer could not be reached, or answered outside the TAXII protocol.

    A peer that answers but whose answer fails verification raises an
    :class:`IntegrityError` instead: that is evidence, not an outage."""

    code = "peer_unavailable"


#: The HTTP status of each error class; the most specific class wins.
HTTP_STATUS: dict[type[TearlineError], int] = {
    InputError: 422,
    TooLarge: 413,
    UnsupportedMethod: 405,
    NotFound: 404,
    PolicyDenied: 403,
    Conflict: 409,
    AuthenticationError: 401,
    RateLimited: 429,
    AuditError: 409,
    StoreError: 503,
    PeerError: 502,
    ConfigError: 500,
    NotConfigured: 409,
    TearlineError: 500,
}


def http_status(error: TearlineError) -> int:
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500
