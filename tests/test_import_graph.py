"""hackkit's modules import each other without cycles, so each layer can be loaded, read and
changed on its own (blueprints -> services -> models; extensions at the bottom).

An import counts wherever it stands in a file (a function-level import is still a
dependency). A module importing its own parent package is not an edge: Python has run the
package's __init__ before the module anyway, and a package that imports its view modules
at the bottom (hackkit/cocreation/) is the wiring we want.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hackkit

PACKAGE = Path(hackkit.__file__).resolve().parent


def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in package.rglob("*.py"):
        if "node_modules" in path.parts:
            continue
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imported_names(name: str, path: Path):
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = name.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            yield base
            # `from pkg import mod` imports the module pkg.mod when there is one.
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = module_files(package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target in _imported_names(name, path):
            while target and target not in modules:  # hackkit.x.y.func -> hackkit.x.y
                target = target.rpartition(".")[0]
            if not target or target == name or name.startswith(target + "."):
                continue
            graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_analysis_finds_a_cycle_and_ignores_the_parent_package(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def f():\n    from pkg.c import thing\n")
    (package / "c.py").write_text("from .a import x\n")
    (package / "sub" / "__init__.py").write_text("from flask import Blueprint\nbp = 1\nfrom pkg.sub import views\n")
    (package / "sub" / "views.py").write_text("from pkg.sub import bp\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_hackkit_has_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles in hackkit/:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_extensions_is_the_bottom_layer():
    """Any module may import the extension singletons, so they import nothing of ours but
    leaves: the models' declarative base and the lazy command group."""
    graph = import_graph()
    assert graph["hackkit.extensions"] <= {"hackkit.models.base", "hackkit.lazy_cli"}
    assert graph["hackkit.models.base"] == set()
    assert graph["hackkit.lazy_cli"] == set()
