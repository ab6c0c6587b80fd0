"""Blind deconfliction: selector normalization, threshold OPRF tokens, event cells.

The pure core of issue #16. Nothing here touches the store or the network: the
edges (``store/deconflict_*``, ``federation/deconflict_*``, ``api``, ``cli``) call in.
"""
