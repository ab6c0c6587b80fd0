"""Who may do what: pure decisions with reasons (the store compiles the same rules to SQL)."""
