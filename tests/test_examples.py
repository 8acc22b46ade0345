"""The shipped example operations (GraphiQL and README) run without errors on the demo catalogue."""

from __future__ import annotations

import re

from graphql import OperationDefinitionNode, parse

from kommunalcampus.app import EXAMPLES
from kommunalcampus.cli import _demo
from sources.store import Store
from tests.conftest import serve_app

OPERATIONS = [d.name.value for d in parse(EXAMPLES.read_text()).definitions
              if isinstance(d, OperationDefinitionNode) and d.name]


async def test_every_example_operation_runs_on_the_demo_catalogue(store: Store) -> None:
    assert len(OPERATIONS) >= 7
    await _demo(store)
    document = EXAMPLES.read_text()
    async with serve_app(store) as hub:
        for name in OPERATIONS:
            body = await hub.graphql(document, operationName=name)
            assert "errors" not in body, (name, body)
            assert body["data"], name
        page = await hub.client.get(f"{hub.base_url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert all(f"query {name}" in page.text for name in OPERATIONS)
    assert re.search(r"const EXAMPLE_QUERY = `# KommunalCampus hub", page.text)
