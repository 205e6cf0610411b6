"""Integration tests use the session's Rasa stack (fixtures ``rasa_stack``, ``pg_engine`` and
``core`` in tests/conftest.py, shared with tests/e2e so CI starts one Rasa server)."""
