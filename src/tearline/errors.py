"""The one error hierarchy of tearline.

Every failure that tearline reports is an instance of :class:`TearlineError`.
Foreign exceptions (database drivers, parsers, HTTP clients) are translated where
they enter, with ``raise XError(...) from exc``. A class's ``code`` is the ``code`` of
the API's error envelope and the ``error_code`` of a TAXII error message; its HTTP
status is mapped once, in ``HTTP_STATUS``, and the TAXII server departs from it only
where ``TAXII_STATUS`` says (TAXII answers a malformed request 400, not 422). Each
class's docstring says what it means; ``exit`` is the ``tearline`` command's exit
status. ``tests/test_errors.py`` holds this drawing to the classes and mappings::

    class                           code                    HTTP TAXII exit
    TearlineError                   error                    500   500    1
    ├── InputError                  invalid_input            422   400    2
    │   ├── ValidationError         validation_failed        422   400    2
    │   │   └── SelectorError       bad_selector             422   400    2
    │   ├── IngestError             ingest_rejected          422   400    2
    │   ├── MappingError            bad_mapping              422   400    2
    │   ├── MarkingError            bad_marking              422   400    2
    │   │   └── LegalBasisError     bad_legal_basis          422   400    2
    │   ├── TooLarge                too_large                413   413    2
    │   ├── UnsupportedMethod       method_not_allowed       405   405    2
    │   ├── NotAcceptable           not_acceptable           406   406    2
    │   └── UnsupportedMediaType    unsupported_media_type   415   415    2
    ├── NotFound                    not_found                404   404    3
    ├── PolicyDenied                denied                   403   403    1
    ├── Conflict                    conflict                 409   409    1
    ├── AuthenticationError         unauthenticated          401   401    1
    ├── RateLimited                 rate_limited             429   429    7
    │   └── QuotaExceeded           quota_exceeded           429   429    7
    ├── AuditError                  audit_failed             409   409    1
    │   ├── IntegrityError          audit_integrity          409   400    1
    │   │   └── WrongNode           audit_integrity          409   400    1
    │   ├── ProofError              bad_proof                409   409    1
    │   └── SplitViewError          split_view               409   409    1
    ├── StoreError                  store_unavailable        503   503    5
    ├── PeerError                   peer_unavailable         502   502    6
    │   └── PeerRefused             peer_unavailable         502   502    6
    ├── ConfigError                 bad_config               500   500    1
    │   └── NotConfigured           not_configured           409   409    1
    └── InternalError               internal                 500   500    1
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
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, str | int]:
        out = {"message": self.message, "file": self.file, "line": self.line,
               "column": self.column}
        return {key: value for key, value in out.items() if value is not None}


class Text(str):
    """A message marked for translation: it reads as its English text, and keeps the
    template and the values it was made from, so that an edge can say it in the
    reader's language (:func:`tearline.i18n.messages.localize`). Values (ids, names,
    numbers) are data: they are inserted as they are, never translated.
    """

    __slots__ = ("template", "values")
    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: dict[str, object]) -> Text:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def __reduce__(self) -> tuple[type[Text], tuple[str, dict[str, object]]]:
        return (Text, (self.template, self.values))  # pickled and copied whole


def tr(template: str, /, **values: object) -> Text:
    """Mark ``template`` (``str.format`` fields named after ``values``) for translation:
    ``raise NotFound(tr("no record {id}", id=record_id))``. ``python3 dev.py i18n``
    collects every marked template into the catalogs."""
    return Text(template, values)


class Listed(str):
    """Marked texts said one after another (a decision's reasons): reads as its parts
    joined by ``"; "``, and keeps the parts, so that an edge says each in the reader's
    language — a reason nested in a message (``tr("… {reasons}", reasons=listed(…))``)
    is translated with it, not left in English."""

    __slots__ = ("parts",)
    parts: tuple[str, ...]

    def __new__(cls, parts: Iterable[str]) -> Listed:
        said = tuple(parts)
        text = super().__new__(cls, "; ".join(said))
        text.parts = said
        return text

    def __reduce__(self) -> tuple[type[Listed], tuple[tuple[str, ...]]]:
        return (Listed, (self.parts,))


def listed(parts: Iterable[str]) -> Listed:
    """``parts`` (marked with :func:`tr`, or data) as one text: ``"a; b"``."""
    return Listed(parts)


def with_problems(message: str, problems: Sequence[Problem], more: str = "… and {n} more") -> str:
    """``message`` followed by one line per problem (the first 20, then how many more)."""
    if not problems:
        return message
    shown = "\n".join(f"  - {p}" for p in problems[:20])
    if len(problems) <= 20:
        return f"{message}\n{shown}"
    return f"{message}\n{shown}\n  {more.format(n=len(problems) - 20)}"


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
        #: the message without its problems (what a translation starts from)
        self.summary = message
        super().__init__(with_problems(message, self.problems))

    def details(self) -> dict[str, object]:
        return {"problems": [p.to_dict() for p in self.problems]}


class ValidationError(InputError):
    """One or more values fail validation."""

    code = "validation_failed"


class IngestError(InputError):
    """A file was rejected; nothing from it is stored."""

    code = "ingest_rejected"


class MappingError(InputError):
    """A CSV mapping file is unusable."""

    code = "bad_mapping"


class MarkingError(InputError):
    """A marking is malformed or not allowed."""

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
    """A request body exceeds the size limit."""

    code = "too_large"


class UnsupportedMethod(InputError):
    """The HTTP method is not allowed on that path."""

    code = "method_not_allowed"


class NotAcceptable(InputError):
    """The client does not accept TAXII 2.1 JSON."""

    code = "not_acceptable"


class UnsupportedMediaType(InputError):
    """A POST body that is not TAXII 2.1 JSON."""

    code = "unsupported_media_type"


class NotFound(TearlineError):
    """The object does not exist for the asking subject.

    A hidden record answers exactly like a missing one: the message must never differ
    between "hidden" and "never existed".
    """

    code = "not_found"


class PolicyDenied(TearlineError):
    """The policy refuses an action; ``reasons`` say why."""

    code = "denied"

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reasons = tuple(reasons)

    def details(self) -> dict[str, object]:
        return {"reasons": list(self.reasons)}


class Conflict(TearlineError):
    """The object exists already, or changed meanwhile."""

    code = "conflict"


class AuthenticationError(TearlineError):
    """No valid credentials."""

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
    """The audit log or a proof does not verify."""

    code = "audit_failed"


class IntegrityError(AuditError):
    """The stored log does not verify; ``index`` is the first bad entry."""

    code = "audit_integrity"

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index

    def details(self) -> dict[str, object]:
        return {} if self.index is None else {"index": self.index}


class WrongNode(IntegrityError):
    """A receipt correctly signed by a peer that names another node."""


class ProofError(AuditError):
    """An inclusion or consistency proof, or a signature, fails."""

    code = "bad_proof"


class SplitViewError(AuditError):
    """Two incompatible views of one log were seen."""

    code = "split_view"


class StoreError(TearlineError):
    """The database failed; the request may succeed later."""

    code = "store_unavailable"


class ConfigError(TearlineError):
    """The node is misconfigured (a setting, a file of the workspace)."""

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


class PeerRefused(PeerError):
    """A peer answered, with an HTTP error status: ``status`` (0 if not known). The
    message carries the peer's own error text, for this node's administrator; what a
    unit is told is written from ``status`` alone (``federation/deconflict_remote.py``)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class InternalError(TearlineError):
    """A bug: what leaves is this fixed message, the traceback goes to the log."""

    code = "internal"


#: The HTTP status of each error class; the most specific class wins.
HTTP_STATUS: dict[type[TearlineError], int] = {
    InputError: 422,
    TooLarge: 413,
    UnsupportedMethod: 405,
    NotAcceptable: 406,
    UnsupportedMediaType: 415,
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

#: Where the TAXII server's status departs from ``HTTP_STATUS``: TAXII answers a
#: malformed request, and a receipt whose signature does not verify, with 400.
TAXII_STATUS: dict[type[TearlineError], int] = {
    InputError: 400,
    IntegrityError: 400,
}


def http_status(error: TearlineError) -> int:
    """The HTTP status of ``error`` on the API: that of its most specific mapped class."""
    return next(HTTP_STATUS[cls] for cls in type(error).__mro__ if cls in HTTP_STATUS)


def taxii_status(error: TearlineError) -> int:
    """The HTTP status of ``error`` on the TAXII server: its most specific class mapped
    in either table, ``TAXII_STATUS`` first (a :class:`TooLarge` stays 413 although
    every other :class:`InputError` is 400)."""
    return next(table[cls] for cls in type(error).__mro__
                for table in (TAXII_STATUS, HTTP_STATUS) if cls in table)


#: The exit status of the ``tearline`` command for each error class; the most specific
#: class wins, as for :data:`HTTP_STATUS`. 0 is success; 1 is a refusal or failure the
#: message explains (denied, conflict, audit, configuration); 2 is bad input, also
#: Click's status for a malformed command line, so "fix the command" is one status
#: whichever layer noticed; 3 is "not found", the same for a hidden record as for a
#: missing one. Failures that may pass by themselves (database, peer, rate limit) have
#: statuses of their own, so that a script can tell "try again later" from the rest.
CLI_EXIT: dict[type[TearlineError], int] = {
    TearlineError: 1,
    InputError: 2,
    NotFound: 3,
    StoreError: 5,
    PeerError: 6,
    RateLimited: 7,
}


def cli_exit(error: TearlineError) -> int:
    """The ``tearline`` command's exit status for ``error``: that of its most specific
    mapped class."""
    return next(CLI_EXIT[cls] for cls in type(error).__mro__ if cls in CLI_EXIT)
