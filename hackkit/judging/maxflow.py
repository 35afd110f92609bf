"""Integer network flow: Dinic's maximum flow, and the minimum flow with lower bounds.

Used by the judging package; the assignment module phrases "each submission needs at least
k judges and each judge takes between L and L+1" as lower and upper bounds on edges. Written
out here (rather than taking a graph library as a dependency) because the whole of it is a
page, and it runs on plain lists fast enough for hundreds of submissions.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


class FlowNetwork:
    """Residual graph: edge ``e`` and its reverse ``e ^ 1`` are stored side by side."""

    def __init__(self, nodes: int) -> None:
        self.adjacent: list[list[int]] = [[] for _ in range(nodes)]
        self.head: list[int] = []  # node an edge points to
        self.capacity: list[int] = []  # remaining (residual) capacity

    def add_edge(self, tail: int, head: int, capacity: int) -> int:
        edge = len(self.head)
        self.head += [head, tail]
        self.capacity += [capacity, 0]
        self.adjacent[tail].append(edge)
        self.adjacent[head].append(edge + 1)
        return edge

    def flow_on(self, edge: int) -> int:
        """Flow pushed along a forward edge (what its reverse can give back)."""
        return self.capacity[edge ^ 1]

    def close(self, edge: int) -> None:
        """Remove an edge and its reverse from further use, whatever flow it carries."""
        self.capacity[edge] = self.capacity[edge ^ 1] = 0

    def max_flow(self, source: int, sink: int) -> int:
        total = 0
        while (level := self._levels(source, sink)) is not None:
            cursor = [0] * len(self.adjacent)
            while pushed := self._augment(source, sink, level, cursor):
                total += pushed
        return total

    def _levels(self, source: int, sink: int) -> list[int] | None:
        level = [-1] * len(self.adjacent)
        level[source] = 0
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for edge in self.adjacent[node]:
                nxt = self.head[edge]
                if self.capacity[edge] > 0 and level[nxt] < 0:
                    level[nxt] = level[node] + 1
                    queue.append(nxt)
        return level if level[sink] >= 0 else None

    def _augment(self, source: int, sink: int, level: list[int], cursor: list[int]) -> int:
        """Find one path in the level graph and push its bottleneck (iterative: no recursion limit)."""
        path: list[int] = []
        node = source
        while node != sink:
            edges = self.adjacent[node]
            while cursor[node] < len(edges):
                edge = edges[cursor[node]]
                if self.capacity[edge] > 0 and level[self.head[edge]] == level[node] + 1:
                    break
                cursor[node] += 1
            else:
                if node == source:
                    return 0
                level[node] = -1  # dead end: never enter it again in this phase
                edge = path.pop()
                node = self.head[edge ^ 1]
                cursor[node] += 1
                continue
            path.append(edge)
            node = self.head[edge]
        pushed = min(self.capacity[edge] for edge in path)
        for edge in path:
            self.capacity[edge] -= pushed
            self.capacity[edge ^ 1] += pushed
        return pushed


@dataclass(frozen=True)
class BoundedEdge:
    tail: int
    head: int
    low: int
    high: int


@dataclass(frozen=True)
class BoundedFlow:
    flows: list[int] | None  # per edge, in input order; None when no flow meets the bounds
    short_nodes: frozenset[int]  # when infeasible: nodes whose lower bounds could not be met


def min_flow_with_bounds(nodes: int, edges: list[BoundedEdge], source: int, sink: int) -> BoundedFlow:
    """The smallest source-to-sink flow with ``low <= flow <= high`` on every edge.

    Textbook reduction: the lower bounds become demands met by a super source and sink (with an
    unbounded sink->source edge closing the circulation); then as much flow as possible is
    pushed back from sink to source, which leaves the minimum.
    """
    net = FlowNetwork(nodes + 2)
    super_source, super_sink = nodes, nodes + 1
    balance = [0] * nodes
    ids = []
    for edge in edges:
        ids.append(net.add_edge(edge.tail, edge.head, edge.high - edge.low))
        balance[edge.head] += edge.low
        balance[edge.tail] -= edge.low
    unbounded = sum(edge.high for edge in edges) + 1
    circulation = net.add_edge(sink, source, unbounded)
    demand_edges: dict[int, int] = {}
    for node, amount in enumerate(balance):
        if amount > 0:
            demand_edges[node] = net.add_edge(super_source, node, amount)
        elif amount < 0:
            demand_edges[node] = net.add_edge(node, super_sink, -amount)
    if net.max_flow(super_source, super_sink) < sum(a for a in balance if a > 0):
        short = frozenset(node for node, demand in demand_edges.items() if net.capacity[demand] > 0)
        return BoundedFlow(flows=None, short_nodes=short)
    net.close(circulation)
    for demand in demand_edges.values():
        net.close(demand)
    net.max_flow(sink, source)
    return BoundedFlow(
        flows=[edge.low + net.flow_on(i) for edge, i in zip(edges, ids, strict=True)],
        short_nodes=frozenset(),
    )
