"""MISP mapping: tearline records to and from MISP events (pure: no I/O, no store).

* :func:`tearline.misp.export.to_events` — tear-lined records → MISP events, one per
  record, each record an object of MISP's FollowTheMoney templates (``ftm-Person``,
  ``ftm-Vehicle``, ``ftm-Membership``, …), ``phone``, or tearline's own templates
  shipped in ``objects/`` (``tearline-seizure``, ``tearline-lab``,
  ``tearline-operation``; ``tearline-statement`` for a value the template cannot hold
  or a portion; ``tearline-record`` for a schema MISP has no template for);
* :func:`tearline.misp.feed.feed_files` — events → the files of a MISP feed;
* :func:`tearline.misp.importer.read_event` — a MISP event JSON → entities for ingest.

Markings are MISP tags (``tlp:…`` and ``tearline:…``) and MISP distribution levels
(:mod:`tearline.misp.tags`). Like :mod:`tearline.stix`, the caller tear-lines first:
this package never decides visibility.
"""
