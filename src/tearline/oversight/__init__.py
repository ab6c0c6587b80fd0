"""Oversight report drafts (``docs/oversight.md``): pure functions over audit events.

The host law (Mexico's Ley de Seguridad Nacional, reformed in December 2020) asks its
officials to report every contact and exchange with foreign agents within a term. This
package turns the audit log's entries into those reports' drafts — metadata only, never
a record's content — works out when each is due, and proves a signed report complete
against the log. It does no I/O: the store gathers the entries and the facts
(:class:`~tearline.oversight.directory.Directory`), the reports edge renders.
"""
