"""The D1 backend: pure SQL and row mapping, clients (embedded SQLite, REST, binding), unit of work."""
