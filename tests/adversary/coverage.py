"""Which family runs each path a viewer can reach, and the paths left out (with why).

``test_coverage.py`` fails when the command line, the API's OpenAPI document or the TAXII
app has a path that is in neither table; each family's test module fails when its runner
does not actually run a path declared for it (``Transcript.asked``).
"""

from __future__ import annotations

import re

#: CLI command (words) → the family whose runner invokes it.
CLI = {
    "show": "cli", "search": "cli", "list": "cli", "stats": "cli", "export": "cli",
    "policy explain": "cli", "mark": "cli", "release": "cli", "consent give": "cli",
    "consent request": "cli", "consent requests": "cli", "consent answer": "cli",
    "recall": "cli", "ingest": "cli", "import-ofac": "cli",
    "approval request": "cli", "approval list": "cli", "approval approve": "cli",
    "approval refuse": "cli",
    "audit log": "audit", "audit verify-proof": "audit",
    "report assessment": "reports",
    "deconflict check": "deconflict", "deconflict register": "deconflict",
    "deconflict events": "deconflict", "deconflict withdraw": "deconflict",
    "resolve run": "resolve", "resolve review": "resolve", "resolve show": "resolve",
    "resolve judge": "resolve",
    **dict.fromkeys(("network players", "network communities", "network brokers",
                     "network heads", "network path", "network export", "screen"), "network"),
}
_OPERATOR = ("the node's operator, not a viewer: the command acts for the node, takes no "
             "--as, and its user sees the whole node by design (docs/policy.md, "
             "'Public by design')")
CLI_LEFT_OUT = dict.fromkeys((
    "vet", "unvet", "init", "demo-data", "demo", "import-series", "serve", "sync", "recalls",
    "audit verify", "audit checkpoint", "audit prove", "audit prove-consistency",
    "party add-agency", "party add-unit", "party add-analyst", "party add-agreement",
    "party list", "node init", "node identity", "node serve", "peer add", "peer list",
    "peer remove", "token create", "token list", "token revoke", "source add", "source list",
    "source remove", "deconflict quota", "deconflict sync", "deconflict deal",
    "deconflict install-share", "trace", "canary plant", "canary list", "canary alerts",
    "web password", "approval require", "oversight designate", "oversight verify",
    "oversight demo"), _OPERATOR)
CLI_LEFT_OUT["resolve pairs"] = (
    "compares two files the user gives it and reads nothing from the store: no --as, "
    "nothing any unit holds can reach it")
_OVERSIGHT = ("the agency's designated oversight officer (or the node's operator): the "
              "oversight role sees every exchange of its own agency by design "
              "(docs/oversight.md); what it may not see — other agencies' exchanges — is "
              "pinned by tests/oversight/test_oversight_secrecy.py, and the commands read "
              "the log's metadata, never a record")
CLI_LEFT_OUT.update(dict.fromkeys(("oversight due", "oversight edit", "oversight sign",
                                   "contact log"), _OVERSIGHT))

#: API operation (method, path) → family.
API = {
    **dict.fromkeys((
        ("GET", "/api/v1/health"), ("GET", "/api/v1/ready"), ("GET", "/api/v1/whoami"),
        ("POST", "/api/v1/entities"), ("GET", "/api/v1/entities"),
        ("GET", "/api/v1/entities/{entity_id}"), ("DELETE", "/api/v1/entities/{entity_id}"),
        ("POST", "/api/v1/entities/{entity_id}/statements"), ("GET", "/api/v1/search"),
        ("GET", "/api/v1/stats"), ("GET", "/api/v1/entities/{entity_id}/marking"),
        ("PUT", "/api/v1/entities/{entity_id}/marking"),
        ("PUT", "/api/v1/entities/{entity_id}/portions/{prop}"),
        ("POST", "/api/v1/entities/{entity_id}/releases"),
        ("DELETE", "/api/v1/entities/{entity_id}/releases"),
        ("POST", "/api/v1/entities/{entity_id}/consents"),
        ("DELETE", "/api/v1/consents/{consent_id}"),
        # administrators' operations: asked with the viewer's token, which is refused
        ("GET", "/api/v1/policy/explain/{entity_id}"), ("GET", "/api/v1/parties"),
        ("POST", "/api/v1/parties/agencies"), ("POST", "/api/v1/parties/units"),
        ("POST", "/api/v1/parties/analysts"), ("POST", "/api/v1/parties/agreements"),
        ("POST", "/api/v1/vettings"), ("POST", "/api/v1/vettings/revocations"),
        ("GET", "/api/v1/tokens"), ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/{prefix}"), ("GET", "/api/v1/trace/alerts")), "api"),
    **dict.fromkeys((
        ("GET", "/api/v1/audit/log"), ("GET", "/api/v1/audit/checkpoint"),
        ("GET", "/api/v1/audit/proofs/inclusion"), ("GET", "/api/v1/audit/proofs/consistency"),
        ), "audit"),
    ("GET", "/api/v1/reports/assessment"): "reports",
    **dict.fromkeys((
        ("GET", "/api/v1/network"), ("GET", "/api/v1/network/path"),
        ("GET", "/api/v1/network/export"), ("GET", "/api/v1/screening"),
        ("POST", "/api/v1/screening")), "network"),
    **dict.fromkeys((
        ("POST", "/api/v1/deconflict/checks"), ("POST", "/api/v1/deconflict/registrations"),
        ("DELETE", "/api/v1/deconflict/registrations/{registration_id}"),
        ("GET", "/api/v1/deconflict/events")), "deconflict"),
    **dict.fromkeys((
        ("GET", "/api/v1/resolve/pairs"), ("GET", "/api/v1/resolve/entities/{entity_id}"),
        ("POST", "/api/v1/resolve/judgements")), "resolve"),
    **dict.fromkeys((
        ("POST", "/api/v1/entities/{entity_id}/release-requests"),
        ("GET", "/api/v1/release-requests"),
        ("POST", "/api/v1/release-requests/{request_id}/approval"),
        ("POST", "/api/v1/release-requests/{request_id}/refusal"),
        ("POST", "/api/v1/entities/{entity_id}/consent-requests"),
        ("GET", "/api/v1/consent-requests"),
        ("POST", "/api/v1/consent-requests/{request_id}/answer")), "api"),
}
API_LEFT_OUT: dict[tuple[str, str], str] = {}

#: TAXII route (method, path) → family (all of them: the peer's).
_C = "/taxii2/api/collections/{collection}/"
TAXII = dict.fromkeys((
    ("GET", "/taxii2/"), ("GET", "/taxii2/api/"), ("GET", "/taxii2/api/collections/"),
    ("GET", _C), ("GET", _C + "objects/"), ("POST", _C + "objects/"),
    ("GET", _C + "objects/{object}/"), ("DELETE", _C + "objects/{object}/"),
    ("GET", _C + "objects/{object}/versions/"), ("GET", _C + "manifest/"),
    ("GET", "/taxii2/api/status/{status}/"), ("POST", "/taxii2/api/tearline/receipts/"),
    ("GET", "/taxii2/api/tearline/recalls/"), ("POST", "/taxii2/api/tearline/purge-receipts/"),
    ("GET", "/taxii2/api/tearline/checkpoint/"), ("POST", "/taxii2/api/tearline/cosignatures/"),
), "taxii")
TAXII.update(dict.fromkeys((
    ("POST", "/taxii2/api/tearline/deconflict/evaluate/"),
    ("GET", "/taxii2/api/tearline/deconflict/index/"),
), "deconflict-peer"))


#: Web application route (method, path) → family (``paths_web.py``).
WEB = dict.fromkeys((
    ("GET", "/"), ("GET", "/web/"), ("GET", "/web/signin"), ("POST", "/web/signin"),
    ("POST", "/web/signout"), ("POST", "/web/language"), ("GET", "/web/search"),
    ("GET", "/web/record/{entity_id}"), ("POST", "/web/record/{entity_id}/release"),
    ("POST", "/web/record/{entity_id}/recall"), ("GET", "/web/sharing"), ("GET", "/web/audit"),
    ("POST", "/web/sharing/mark"), ("POST", "/web/sharing/release"),
    ("POST", "/web/sharing/recall"), ("POST", "/web/sharing/consent"),
    ("POST", "/web/sharing/consent/withdraw"), ("POST", "/web/sharing/approve"),
    ("POST", "/web/sharing/refuse"), ("POST", "/web/sharing/consent/request"),
    ("POST", "/web/sharing/consent/answer"), ("GET", "/web/audit/proof/{index}"),
    ("GET", "/web/audit/proof/{index}/json"),
    ("GET", "/web/record/{entity_id}/audience"), ("GET", "/web/record/{entity_id}/correlations"),
    ("GET", "/web/record/{entity_id}/history"),
    # the administration page: asked with the viewer's session, which is refused
    ("GET", "/web/admin"), ("POST", "/web/admin/parties"), ("POST", "/web/admin/agreements"),
    ("POST", "/web/admin/vettings"), ("POST", "/web/admin/vettings/revoke"),
    ("POST", "/web/admin/tokens"), ("POST", "/web/admin/tokens/{prefix}/revoke"),
    ("POST", "/web/admin/peers/{name}/remove"),
), "web")
WEB.update({("GET", "/web/network/{entity_id}"): "network",
            ("GET", "/web/seizures"): "reports", ("GET", "/web/seizures/pdf"): "reports"})

#: Command groups: a command of one is named by two words.
GROUPS = frozenset({"audit", "policy", "report", "party", "node", "peer", "token", "source",
                    "deconflict", "resolve", "web", "network", "oversight",
                    "contact", "approval", "consent"})


def cli_words(args: tuple[str, ...]) -> str:
    return " ".join(args[:2]) if args and args[0] in GROUPS else (args[0] if args else "")


def operation(method: str, url: str, known: dict[tuple[str, str], str]) -> tuple[str, str]:
    """The declared operation (method, path template) a request went to."""
    path = url.split("?", 1)[0]
    for m, template in known:
        if m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return m, template
    return method, path


def declared(family: str) -> set[tuple[str, str]]:
    """Everything a family's runner must run: ("CLI", words) and (method, path) pairs."""
    out = {("CLI", words) for words, f in CLI.items() if f == family}
    out |= {op for op, f in API.items() if f == family}
    out |= {op for op, f in TAXII.items() if f == family}
    out |= {op for op, f in WEB.items() if f == family}
    return out
