"""The public face's tests use casework's actors and its received opinion."""

from tests.casework.conftest import actors, receive  # noqa: F401  (fixtures)
