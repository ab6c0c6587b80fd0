"""The tamper-evident audit log: pure core (no I/O).

``canonical`` (RFC 8785 bytes), ``merkle`` (RFC 6962/9162 hashing and proofs),
``memory_tree`` (the reference node store), ``envelope`` and ``events`` (event
types), ``note`` and ``checkpoint`` (C2SP signed notes and checkpoints), ``witness``
(cosigning with split-view detection). See docs/audit.md.
"""
