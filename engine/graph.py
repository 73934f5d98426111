"""Graph facts the MLP and the validator share: cycles (named), depths, levels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def find_cycle(n_nodes: int, edges: Iterable[tuple[int, int]]) -> list[int] | None:
    """One directed cycle as a list of node indices (first node not repeated), or None."""
    succ: list[list[int]] = [[] for _ in range(n_nodes)]
    for s, t in edges:
        succ[s].append(t)
    state = [0] * n_nodes  # 0 new, 1 on the stack, 2 done
    parent = [-1] * n_nodes
    for root in range(n_nodes):
        if state[root]:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state[nxt] == 1:
                cycle = [node]
                while cycle[-1] != nxt:
                    cycle.append(parent[cycle[-1]])
                return cycle[::-1]
            elif state[nxt] == 0:
                parent[nxt] = node
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    return None


def depths(n_nodes: int, edges: Sequence[tuple[int, int]], start: Sequence[int] | None = None) -> list[int]:
    """Longest-path depth of every node from any node without incoming edges (those get 0, or
    their ``start``: a unit with no wires in still sits at depth 1, and what it feeds deeper).

    Assumes the graph is acyclic (check with ``find_cycle`` first)."""
    succ: list[list[int]] = [[] for _ in range(n_nodes)]
    indeg = [0] * n_nodes
    for s, t in edges:
        succ[s].append(t)
        indeg[t] += 1
    depth = list(start) if start is not None else [0] * n_nodes
    ready = [i for i in range(n_nodes) if indeg[i] == 0]
    while ready:
        node = ready.pop()
        for t in succ[node]:
            depth[t] = max(depth[t], depth[node] + 1)
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return depth


def reachable(n_nodes: int, edges: Iterable[tuple[int, int]], starts: Iterable[int]) -> set[int]:
    """Every node reachable from ``starts`` (the starts included)."""
    succ: list[list[int]] = [[] for _ in range(n_nodes)]
    for s, t in edges:
        succ[s].append(t)
    seen = set(starts)
    todo = list(seen)
    while todo:
        for t in succ[todo.pop()]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen
