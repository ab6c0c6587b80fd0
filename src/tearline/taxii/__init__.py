"""The TAXII 2.1 server through which peer nodes pull what the policy releases to them,
and its mutual-TLS listener."""
