"""Fixtures shared by the cross-cutting suites: one logged-in client per role of the cast."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

ANONYMOUS = "anonymous"
# Every role of the fixed cast, in the order the access matrix lists them.
ROLES = (ANONYMOUS, "coordinator", "a_admin", "a_staff", "a_viewer", "b_staff", "case_worker")


def user_of(cast: Any, role: str) -> Any:
    return None if role == ANONYMOUS else getattr(cast, role)


@pytest.fixture
def client_as(cast: Any) -> Callable[[str], Client]:
    """A fresh client per call, logged in as the named role of the cast (or anonymous)."""

    def make(role: str) -> Client:
        client = Client()
        user = user_of(cast, role)
        if user is not None:
            client.force_login(user)
        return client

    return make
