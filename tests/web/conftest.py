"""Fixtures shared by the tests of tests/web/ (each group's own live in its support module)."""

from tests.web.api_support import api_client, api_sqlite, api_store, db_url, postgres, seeded  # noqa: F401
