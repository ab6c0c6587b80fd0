"""The completeness proof: a report lists every exchange of its range, as the log has it.

A signed report names the log range it covers (entries ``first`` ≤ i < ``size``) and
the signed checkpoint of size ``size``. Whoever holds the log recomputes the
exchanges of that range (:func:`tearline.oversight.exchanges.exchanges`) and compares:
an exchange the report leaves out, one it adds, an entry it cites with another leaf
hash, or metadata it states otherwise than the log, each make the report fail. The
checkpoint binds the range to one state of the log: the log at ``size`` has the root
the node signed, so the entries recomputed are the entries the officer signed over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tearline.oversight.drafts import METADATA, Draft


def differences(listed: Sequence[Mapping[str, Any]], expected: Sequence[Draft]) -> list[str]:
    """Every way the report's exchanges differ from the log's; empty when complete."""
    want = {d.exchange.id: d.document() for d in expected}
    have: dict[str, Mapping[str, Any]] = {}
    problems: list[str] = []
    for item in listed:
        xid = str(item.get("id"))
        if xid in have:
            problems.append(f"exchange {xid} is listed twice")
        have[xid] = item
    for xid, doc in want.items():
        if xid not in have:
            entries = ", ".join(str(i) for i, _ in doc["entries"])
            problems.append(f"exchange {xid} ({doc['nature']} with {doc['foreign_agency']} "
                            f"at {doc['at']}, log entries {entries}) is missing from the report")
            continue
        for name in METADATA:
            stated, logged = have[xid].get(name), doc[name]
            if name == "records":  # the count is the log's; kinds are read from the store
                stated = stated.get("count") if isinstance(stated, dict) else stated
                logged = logged["count"]
            if stated != logged:
                problems.append(f"exchange {xid}: {name} is {stated!r} in the report but "
                                f"{logged!r} in the log")
    for xid in have:
        if xid not in want:
            problems.append(f"exchange {xid} is in the report but the log has no such "
                            "exchange in the range")
    return problems
