"""Query limits checked before execution: depth, aliases, tokens and a static cost.

The validation rule classes are built once per schema, not per request: Strawberry's validation cache keys
on the rule classes, so a limiter constructed per request (a fresh class each time) would make every
validation a cache miss (benchmarks/bench_api.py measures the difference).

    schema = build_schema(Limits(max_depth=10, max_cost=5000))

Cost model (documented in the README): every field costs 1, scalars 0; `offers`, `match`, `catalogStats`
and `coverageGaps` cost 10 for their work on the snapshot; a field with a `first`, `last` or `top`
argument multiplies the cost of its selection by that number (100, the page limit, when it is a variable);
other list fields multiply by 10, an estimate of their length; `edges` and `nodes` of a connection take the
connection's multiplier instead of adding their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

MAX_PAGE = 100
LIST_ESTIMATE = 10
EXPENSIVE = {"offers": 10, "match": 10, "catalogStats": 10, "coverageGaps": 10, "similar": 5}
PAGING_ARGS = ("first", "last", "top")
PASS_THROUGH = {"edges", "nodes"}


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 20
    max_tokens: int = 3000
    max_cost: int = 5000
    introspection: bool = True


def _unwrap(type_: GraphQLOutputType) -> tuple[Any, bool]:
    is_list = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            is_list = True
        type_ = type_.of_type
    return type_, is_list


def _multiplier(field: FieldNode, is_list: bool) -> int:
    for arg in field.arguments or ():
        if arg.name.value in PAGING_ARGS:
            if isinstance(arg.value, IntValueNode):
                return max(0, min(int(arg.value.value), MAX_PAGE))
            return MAX_PAGE
    if field.name.value in PASS_THROUGH:
        return 1
    return LIST_ESTIMATE if is_list else 1


def selection_cost(context: ValidationContext, parent: GraphQLObjectType | Any, selections: SelectionSetNode | None,
                   fragments: dict[str, FragmentDefinitionNode], seen: frozenset[str] = frozenset()) -> int:
    """Static cost of a selection set under `parent`; fragment cycles are another rule's business."""
    if selections is None:
        return 0
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            fields = getattr(parent, "fields", {})
            definition = fields.get(selection.name.value)
            if definition is None:
                continue  # unknown fields are reported by the standard rules
            child, is_list = _unwrap(definition.type)
            if selection.selection_set is None:
                continue  # scalars are free: they come with the loaded document
            inner = selection_cost(context, child, selection.selection_set, fragments, seen)
            total += EXPENSIVE.get(selection.name.value, 1) + _multiplier(selection, is_list) * inner
        elif isinstance(selection, InlineFragmentNode):
            target = parent
            if selection.type_condition is not None:
                target = context.schema.get_type(selection.type_condition.name.value) or parent
            total += selection_cost(context, target, selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue
            target = context.schema.get_type(fragment.type_condition.name.value) or parent
            total += selection_cost(context, target, fragment.selection_set, fragments, seen | {name})
    return total


def cost_rule(max_cost: int) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            fragments = {d.name.value: d for d in self.context.document.definitions
                         if isinstance(d, FragmentDefinitionNode)}
            cost = selection_cost(self.context, root, node.selection_set, fragments)
            if cost > max_cost:
                name = f"'{node.name.value}' " if node.name else ""
                self.report_error(GraphQLError(
                    f"Query {name}is too expensive: cost {cost} exceeds the limit of {max_cost}. Ask for fewer "
                    f"items (`first`) or fewer nested lists.", node))

    return CostLimit


def validation_rules(limits: Limits) -> tuple[type[ValidationRule], ...]:
    rules: list[type[ValidationRule]] = [
        depth_validator(limits.max_depth, None, None),
        alias_validator(limits.max_aliases),
        cost_rule(limits.max_cost),
    ]
    if not limits.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class LimitsExtension(SchemaExtension):
    """Adds the prepared rules and the token limit to each operation; construct it with the shared rules."""

    def __init__(self, rules: tuple[type[ValidationRule], ...], max_tokens: int) -> None:
        self.rules = rules
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.max_tokens
        self.execution_context.validation_rules = (*self.execution_context.validation_rules, *self.rules)
        yield
