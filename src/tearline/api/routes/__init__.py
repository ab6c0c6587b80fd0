"""Route modules: each builds an ``APIRouter`` for the configured limits."""
