"""Connected groups over pairwise links: stories from document links, incidents from event
links. A group's id is derived from its smallest member, so the grouping depends only on the
set of links, never on the order documents arrived in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

Node = TypeVar("Node", str, tuple[str, str], int)
"""An event id, a document key (source, id), or a number (tests)."""


def components(nodes: Iterable[Node], links: Iterable[tuple[Node, Node]]) -> list[set[Node]]:
    """The connected components of ``nodes`` joined by ``links`` (links to other nodes are
    ignored), ordered by their smallest member."""
    parent: dict[Node, Node] = {node: node for node in nodes}

    def find(node: Node) -> Node:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for a, b in links:
        if a in parent and b in parent:
            root_a, root_b = find(a), find(b)
            if root_a != root_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[Node, set[Node]] = {}
    for node in parent:
        groups.setdefault(find(node), set()).add(node)
    return [groups[root] for root in sorted(groups)]
