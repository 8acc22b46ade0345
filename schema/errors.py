"""Errors the client sees: its own mistakes explained, everything else masked and logged with a request id.

    schema = strawberry.Schema(Query, extensions=[HubErrors])

A resolver raises `UserInputError` for a caller's mistake; GraphQL's own parse and validation errors carry no
original exception. Both pass through unchanged (with an `extensions.code`); any other exception becomes
"Internal error" with the request id, and the full traceback goes to the log under that id.
"""

from __future__ import annotations

import logging

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.queries import UserInputError

log = logging.getLogger("kommunalcampus.graphql")


def _is_callers_mistake(error: GraphQLError) -> bool:
    return error.original_error is None or isinstance(error.original_error, UserInputError | GraphQLError)


class HubErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda e: not _is_callers_mistake(e), error_message="Internal error")

    def _request_id(self) -> str:
        context = getattr(self.execution_context, "context", None)
        return str(getattr(context, "request_id", "-"))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = self._request_id()
        log.error("request %s: unexpected error at %s", request_id, error.path, exc_info=error.original_error)
        return GraphQLError(f"Internal error (request id {request_id})", nodes=error.nodes, path=error.path,
                            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id})

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        out = []
        for error in super()._process_errors(errors):
            if error.extensions is None or "code" not in error.extensions:
                code = "BAD_USER_INPUT" if isinstance(error.original_error, UserInputError) else \
                    "GRAPHQL_VALIDATION_FAILED"
                error = GraphQLError(error.message, nodes=error.nodes, path=error.path,
                                     original_error=error.original_error, extensions={**(error.extensions or {}),
                                                                                      "code": code})
            out.append(error)
        return out
