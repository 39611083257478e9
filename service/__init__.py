"""Use cases. They take an injected UnitOfWork and never know which backend is behind it."""
