"""tearline: share counter-narcotics intelligence between agencies of unequal trust.

Every release is precise (only the units cleared, only the portions they may see),
provable (a tamper-evident log of who saw what), lawful (oversight report drafts),
traceable (a leaked copy points to its recipient) and minimal (overlap found
without revealing anything else).
"""

__version__ = "0.1.0"
