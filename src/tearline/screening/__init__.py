"""Sanctions screening: records (in the store or a file) against the OFAC SDN list.

* :mod:`parties` — who is screened and who is designated, read from records or files;
* :mod:`matcher` — the index of listed names and the scoring of a candidate against it,
  with the evidence of each hit (names compared by :mod:`tearline.resolve.names`);
* :mod:`run` — screening what a viewer may see, through the store's policy-filtered
  reads, and the new designations of a re-imported list.

Everything screened and every designation is read through the policy: a viewer's
screening is a function of what it may see (``docs/network.md``, *Screening*).
"""
