"""The D1 backend: pure SQL building and row mapping, clients (embedded SQLite, REST, binding), unit of work."""
