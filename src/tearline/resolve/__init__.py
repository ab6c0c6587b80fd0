"""Entity resolution: Spanish person names, the pairwise model, decisions and judgements.

The pure core of issue #17. ``names`` parses and compares Mexican person names;
``phonetic`` and ``lexicon`` hold its folding rules and word lists. Nothing here touches
the store or the network: the edges (``store/resolve_*``, ``api``, ``cli``) call in.
"""
