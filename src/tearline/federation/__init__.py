"""Federation between nodes: identities, trust, signatures, the TAXII listener and client."""
