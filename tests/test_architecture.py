"""The code's shape (DESIGN.md, Layout and Conventions): no import cycles, layers kept, small modules.

The import graph is read from the source with `ast`, so imports inside functions count too: an import
moved into a function to dodge a cycle is still a cycle.
"""

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("campaign", "workers")
MAX_MODULE_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {
        _module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
    }


def _imported(node: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project's modules an import statement loads (the most specific one that exists)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, base] if base else anchor)
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    else:
        return set()
    found = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    graph = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = imports_of(tree, module, path.name == "__init__.py", known) - {module}
    return graph


def imports_of(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    edges = set()
    for node in ast.walk(tree):  # every statement, at any depth: function bodies included
        edges |= _imported(node, module, is_package, known)
    return edges


GRAPH = import_graph()


def test_the_graph_sees_function_level_and_relative_imports():
    source = "def later():\n    from campaign import cli\n    from .sign import x\n    import campaign.models.petition\n"
    known = {"campaign", "campaign.cli", "campaign.signing", "campaign.signing.sign", "campaign.models"}
    found = imports_of(ast.parse(source), "campaign.signing", True, known)
    assert found == {"campaign.cli", "campaign.signing.sign", "campaign.models"}


def test_no_import_cycles():
    try:
        graphlib.TopologicalSorter(GRAPH).prepare()
    except graphlib.CycleError as error:
        pytest.fail("import cycle: " + " -> ".join(error.args[1]))


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [
        ("campaign", "workers"),  # campaign enqueues by dotted name
        ("campaign.models", "campaign.web"),
        ("campaign.models", "campaign.signing"),
    ],
)
def test_layers(importer, forbidden):
    offenders = {
        (module, target)
        for module, targets in GRAPH.items()
        if module == importer or module.startswith(importer + ".")
        for target in targets
        if target == forbidden or target.startswith(forbidden + ".")
    }
    assert not offenders


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_domain_imports_no_web_code():
    web = [
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("campaign.") and not _in_package(module, "campaign.web")
        for target in targets
        if _in_package(target, "campaign.web")  # campaign.webhooks is domain, not web
    ]
    # The factory and the CLI wire the web in; nothing else in the domain may lean on it.
    assert [pair for pair in web if pair[0] not in {"campaign"}] == []


# The documented lookups of campaign/web/lookups.py: a row by the id or slug in the address, else 404.
WEB_LOOKUPS = {"campaign.web.lookups"}
TRANSACTION_ENDS = {"commit", "rollback"}  # a view commits once (or gives up); reading is the domain's


def _database_use(tree: ast.AST) -> list[str]:
    """`db.session.<anything but commit/rollback>`, `db.select`, `db.paginate`... as written."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
            continue
        if node.value.id != "db" or node.attr in {"Model"}:
            continue
        found.append(f"db.{node.attr}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name)
            and (node.value.value.id, node.value.attr) == ("db", "session")
            and node.attr in TRANSACTION_ENDS
        ):
            found.remove("db.session")
    return found


def test_views_read_through_the_domain():
    sources = _sources()
    reading = {
        module: uses
        for module, path in sources.items()
        if _in_package(module, "campaign.web") and module not in WEB_LOOKUPS
        if (uses := _database_use(ast.parse(path.read_text())))
    }
    assert reading == {}, "move these queries into a domain package (campaign/<area>/)"


def test_the_database_check_sees_queries_and_allows_commits():
    source = "db.session.commit()\nrows = db.session.execute(db.select(X))\ndb.session.rollback()\n"
    assert sorted(_database_use(ast.parse(source))) == ["db.select", "db.session"]


def test_no_module_over_the_size_limit():
    long = {
        module: n
        for module, path in _sources().items()
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these (over {MAX_MODULE_LINES} lines): {long}"
