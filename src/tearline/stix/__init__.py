"""STIX 2.1 mapping: tearline records to and from STIX bundles (pure: no I/O, no store).

* :func:`tearline.stix.export.to_stix` — tear-lined records → a bundle (the caller
  has already applied the policy; this package never decides visibility);
* :func:`tearline.stix.importer.from_stix` / ``read_bundle`` — a bundle → records,
  lossless for objects with the tearline record extension, best effort (with a
  report of what was skipped) for standard STIX from other platforms.

Decision: no new SDO types. Seizures, labs, operations, phones and vehicles map to
existing STIX Domain Objects — a seizure (like any event) to ``incident``, a lab, a
phone or a vehicle (any asset) to ``infrastructure`` (resources an organization
uses for its purpose), a law-enforcement operation to ``course-of-action`` (an
action taken in response), relationships to ``relationship`` SROs, other schemata
(sanctions, notes) to ``note`` — each carrying the full record in the tearline
property-extension. Why: a consumer that knows nothing of tearline (OpenCTI, MISP,
``stix2.parse(..., allow_custom=False)``) still loads and shows every object with
its name, description, links and markings, whereas a new-SDO type is dropped or
rejected by such consumers; and tearline peers lose nothing, because the extension
carries every statement. So only property-extensions are defined (see
:mod:`tearline.stix.extensions`).
"""

from tearline.stix.export import Export, to_stix
from tearline.stix.importer import Import, from_stix, read_bundle

__all__ = ["Export", "Import", "from_stix", "read_bundle", "to_stix"]
