"""Leak tracing (``docs/trace.md``): recipient fingerprints, honeytokens, tracing a copy.

Pure core (floor 4): every function takes the node's trace secret or what the store
read, and does no I/O. The edges that let a copy leave the node (exports, TAXII
answers, reports) call :mod:`tearline.trace.fingerprint` and
:mod:`tearline.trace.textmarks`; ``tearline trace FILE`` reads a file with
:mod:`tearline.trace.reading` and weighs what it found with
:mod:`tearline.trace.evidence`; canary records come from :mod:`tearline.trace.honey`.
"""
