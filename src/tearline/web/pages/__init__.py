"""The pages of the web application, one module per page (each a router)."""
