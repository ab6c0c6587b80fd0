"""Federation between nodes: identities, trust, signatures, receipts, the TAXII client and
the pull."""
