"""Every URL name is used once: a second page of the same name silently takes over the
first's links (an agreement's page once led to a host-home agreement's)."""

from collections import Counter

from django.urls import get_resolver

# The product's own password reset stands in front of allauth's on purpose (tillsammans/urls.py).
OVERRIDES = {"account_reset_password"}


def _names(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            namespace = getattr(pattern, "namespace", None)
            yield from _names(
                pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix
            )
        elif pattern.name:
            yield prefix + pattern.name


def test_no_two_pages_share_a_url_name():
    # given every URL pattern of the product
    counts = Counter(_names(get_resolver().url_patterns))
    # when
    shared = sorted(name for name, n in counts.items() if n > 1 and name not in OVERRIDES)
    # then
    assert shared == []
