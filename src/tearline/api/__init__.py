"""The HTTP API: authentication, routes, limits and one error envelope.

Handlers parse, call the store (whose reads are compiled from the policy and leave
audit entries) and serialize; nothing here decides who may see what.
"""
