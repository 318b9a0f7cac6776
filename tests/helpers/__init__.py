"""Helpers shared by the tests (as python-telegram-bot keeps them in tests/auxil/)."""
