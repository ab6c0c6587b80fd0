"""Readers for external aggregate data sets (CBP, UNODC), with their provenance.

These modules are edges: ``read_*`` functions open files. The parsing itself is done
by pure functions over text so that it can be tested without touching the disk.
"""
