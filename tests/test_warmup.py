"""A web process is ready before its first request (``config/warmup.py``): the
URLconf imported, our templates compiled, the catalogues read, without a query."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import engines

from config.warmup import warm


def _cached_loader() -> Any:
    loader = engines["django"].engine.template_loaders[0]
    assert loader.__class__.__name__ == "Loader" and hasattr(loader, "reset")
    return loader


@pytest.mark.django_db
def test_warm_compiles_our_templates_without_a_query(
    django_assert_num_queries: Any,
) -> None:
    loader = _cached_loader()
    loader.reset()
    with django_assert_num_queries(0):
        seconds = warm()
    assert seconds > 0
    compiled = set(loader.get_template_cache)
    for name in (
        "base.html",
        "projects/proposal_detail.html",
        "partials/_comment.html",
        "projects/proposal_list_results.html",
    ):
        assert name in compiled, name
