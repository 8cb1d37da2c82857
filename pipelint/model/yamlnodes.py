"""cog.yaml as composed PyYAML nodes: positions for every key and value, nothing constructed.

``yaml.compose`` with the safe loader builds the node graph only: tags such as
``!!python/object`` are never constructed and aliases are shared nodes, never expanded.
"""

from __future__ import annotations

from pipelint.core.diagnostics import Position
from pipelint.core.records import Record


class YamlDocument(Record):
    root: object | None  # yaml.Node, or None for an empty document
    error: str | None
    error_position: Position | None
    duplicate_keys: list  # (key_node, first_key_node)

    def __init__(
        self,
        root: object | None,
        error: str | None = None,
        error_position: Position | None = None,
        duplicate_keys: list | None = None,
    ) -> None:
        self.root = root
        self.error = error
        self.error_position = error_position
        self.duplicate_keys = [] if duplicate_keys is None else duplicate_keys


def compose(text: str) -> YamlDocument:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return YamlDocument(None, problem, pos)
    except yaml.YAMLError as exc:
        return YamlDocument(None, str(exc), Position(1, 1))
    except RecursionError:  # PyYAML composes recursively; its parser does not
        return YamlDocument(None, NESTED_TOO_DEEPLY, _deep_point(text))
    doc = YamlDocument(root)
    if root is not None:
        doc.duplicate_keys = _duplicate_keys(root)
    return doc


NESTED_TOO_DEEPLY = "is nested too deeply for pipelint to read"


def _deep_point(text: str, limit: int = 100) -> Position:
    """Where the nesting passes ``limit`` levels, found with PyYAML's event parser."""
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return Position(event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, RecursionError):
        pass
    return Position(1, 1)


def _duplicate_keys(root) -> list:
    import yaml

    found, seen_nodes, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in first:
                        found.append((k, first[k.value]))
                    else:
                        first[k.value] = k
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def is_mapping(node) -> bool:
    import yaml

    return isinstance(node, yaml.MappingNode)


def is_scalar(node) -> bool:
    import yaml

    return isinstance(node, yaml.ScalarNode)


def is_sequence(node) -> bool:
    import yaml

    return isinstance(node, yaml.SequenceNode)


def items(node) -> list:
    """(key_node, value_node) pairs of a mapping node; empty for anything else."""
    return list(node.value) if is_mapping(node) else []


def get(node, key: str):
    """(key_node, value_node) for ``key`` in a mapping node (last one wins, as PyYAML), or None."""
    hit = None
    for k, v in items(node):
        if is_scalar(k) and k.value == key:
            hit = (k, v)
    return hit


def start(node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def end(node) -> Position:
    return Position(node.end_mark.line + 1, node.end_mark.column + 1)


def scalar(node):
    """The Python value of a scalar node as PyYAML's safe loader constructs it (``017`` is 15,
    ``.inf`` a float, ``190:20:30`` a base-60 int, a date a ``datetime.date``); the text itself
    for a tag the safe loader does not know; None for a non-scalar."""
    if not is_scalar(node):
        return None
    import yaml

    try:
        return yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return node.value


def is_null(node) -> bool:
    return node is None or (is_scalar(node) and node.tag == "tag:yaml.org,2002:null")


def is_quoted(node) -> bool:
    return is_scalar(node) and node.style in ("'", '"')
