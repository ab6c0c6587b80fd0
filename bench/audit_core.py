"""Benchmark of the pure audit core (no database): hashing, appends, proofs, verification.

Each figure is printed with its ratio to a baseline measured in the same run: plain
``hashlib.sha256`` over the same bytes, the least any log must do per entry.

    .venv/bin/python bench/audit_core.py                 # 10 million leaves, ~1 minute
    .venv/bin/python bench/audit_core.py --leaves 1000000 --entries 50000

Timings are the machine's, not pinned by any test.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections.abc import Callable

from _ratios import report
from tearline.audit.events import RecordRead
from tearline.audit.memory_tree import MemoryTree
from tearline.audit.merkle import leaf_hash
from tearline.audit.proof_check import verify_consistency, verify_inclusion


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def sample_entries(count: int) -> list[bytes]:
    """Canonical record.read events, the most frequent kind, as the log would hash them."""
    return [
        RecordRead(
            at="2025-01-31T17:04:05.123456Z",
            actor="node:us.dea",
            subject="analyst:ana@mx.semar.uie",
            entity_id=f"seizure-{i:09d}",
            version=1 + i % 7,
            statement_ids=tuple(f"st-{i}-{j}" for j in range(6)),
            path="federation",
        ).to_canonical()
        for i in range(count)
    ]


def line(what: str, count: int, seconds: float, unit: str, baseline: float | None) -> None:
    rate = count / seconds
    ratio = f"  ({rate / baseline:6.2f}× baseline)" if baseline else ""
    print(f"  {what:<46} {rate:>14,.0f} {unit}/s{ratio}")
    if baseline:
        report(f"{what.strip()} (rate / SHA-256's)", rate / baseline)


def bench_appends(entries: list[bytes]) -> None:
    n = len(entries)
    size = sum(map(len, entries))
    print(f"appends: {n:,} canonical record.read events, {size / n:.0f} bytes each")
    sha = hashlib.sha256
    base_s = timed(lambda: [sha(e).digest() for e in entries])
    baseline = n / base_s
    line("baseline: hashlib.sha256 per entry", n, base_s, "entries", None)
    line(
        "leaf_hash per entry",
        n,
        timed(lambda: [leaf_hash(e) for e in entries]),
        "entries",
        baseline,
    )

    def one_by_one() -> None:
        tree = MemoryTree()
        for e in entries:
            tree.append(e)

    line("MemoryTree.append, one by one", n, timed(one_by_one), "appends", baseline)
    line(
        "MemoryTree.extend, batched",
        n,
        timed(lambda: MemoryTree().extend(entries)),
        "appends",
        baseline,
    )
    # Full verification = recompute every leaf and node from the entries and compare heads.
    reference = MemoryTree()
    reference.extend(entries)
    head = reference.root()

    def verify_all() -> None:
        check = MemoryTree()
        check.extend(entries)
        assert check.root() == head

    line("full verification (recompute tree and head)", n, timed(verify_all), "entries", baseline)


def bench_proofs(leaves: int, samples: int) -> None:
    print(f"proofs: a MemoryTree of {leaves:,} leaves")
    rng = random.Random(4)
    # Random 32-byte leaf hashes cost a proof exactly what real ones do; the interior
    # nodes are computed for real, level by level.
    packed = hashlib.shake_256(b"tearline audit bench").digest(32 * leaves)
    tree = MemoryTree()
    build = timed(lambda: tree.extend_packed(packed))
    print(f"  interior nodes built in {build:.1f} s ({leaves / build:,.0f} leaves/s, batched)")
    size = tree.size
    root = tree.root()
    # Baseline: one SHA-256 over the bytes of one proof (about log2(n) hashes).
    sample_proof = tree.inclusion_proof(size // 3)
    proof_bytes = b"".join(sample_proof)
    rounds = 20000
    base_s = timed(lambda: [hashlib.sha256(proof_bytes).digest() for _ in range(rounds)])
    base_us = base_s / rounds * 1e6
    print(f"  baseline: sha256 over one proof's {len(proof_bytes)} bytes  {base_us:8.2f} µs")

    indexes = [rng.randrange(size) for _ in range(samples)]
    start = time.perf_counter()
    proofs = [tree.inclusion_proof(i) for i in indexes]
    per = (time.perf_counter() - start) / samples * 1e6
    print(
        f"  inclusion proof at size {size:,}        {per:8.2f} µs  ({per / base_us:.1f}× baseline)"
    )
    report(f"inclusion proof at {size:,} (time / one SHA-256 of a proof)", per / base_us,
           higher_is_better=False)

    olds = [rng.randrange(1, size) for _ in range(samples)]
    start = time.perf_counter()
    cproofs = [tree.consistency_proof(o) for o in olds]
    per = (time.perf_counter() - start) / samples * 1e6
    print(
        f"  consistency proof to size {size:,}      {per:8.2f} µs  ({per / base_us:.1f}× baseline)"
    )

    leaves_of = [tree.perfect(0, i) for i in indexes]
    start = time.perf_counter()
    for leaf, index, proof in zip(leaves_of, indexes, proofs, strict=True):
        verify_inclusion(leaf, index, size, proof, root)
    seconds = time.perf_counter() - start
    print(
        f"  inclusion verifications                 {samples / seconds:>10,.0f} /s"
        f"  ({seconds / samples * 1e6 / base_us:.1f}× baseline per proof)"
    )
    old_roots = [tree.root(o) for o in olds]
    start = time.perf_counter()
    for old, old_root, proof in zip(olds, old_roots, cproofs, strict=True):
        verify_consistency(old, size, old_root, root, proof)
    seconds = time.perf_counter() - start
    print(
        f"  consistency verifications               {samples / seconds:>10,.0f} /s"
        f"  ({seconds / samples * 1e6 / base_us:.1f}× baseline per proof)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=10_000_000, help="tree size for proofs")
    parser.add_argument("--entries", type=int, default=100_000, help="events for appends")
    parser.add_argument("--samples", type=int, default=2_000, help="proofs to time")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, for bench/run.py --quick")
    args = parser.parse_args()
    if args.quick:
        args.leaves, args.entries, args.samples = 100_000, 10_000, 200
    bench_appends(sample_entries(args.entries))
    bench_proofs(args.leaves, args.samples)


if __name__ == "__main__":
    main()
