"""Apps depend in one direction, and on public APIs only (the style guide's "Layers and speed").

Every project module's imports are read with ``ast``, without importing anything: top level and
inside functions, ``import_string("…")``/``import_module("…")`` literals, and model labels such
as ``"notices.NoticePage"``. Layers,
bottom to top: the ``portal`` infrastructure → ``home`` → ``notices`` | ``servicecatalog`` →
``feedback`` → the project shell (``portal.urls``, ``portal.settings``, ``portal.wsgi``,
``portal.demo`` and the base templates), which may use anything. Each failure lists
``file:line`` and what to change.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "home", "notices", "servicecatalog", "feedback")
LAYER = {"portal": 0, "home": 1, "notices": 2, "servicecatalog": 2, "feedback": 3}
TOP = 4
SHELL = ("portal.urls", "portal.settings", "portal.wsgi", "portal.demo")
# feedback's concerns depend one way too, bottom to top; its root modules (models, urls,
# wagtail_hooks, templatetags…) gather them and stand above all four.
FEEDBACK_CONCERNS = ("common", "trust", "evaluations", "complaints")
DJANGO_CONTAINERS = {"models", "templatetags", "management"}
LOADERS = {"import_string", "import_module"}
# "notices.NoticePage" in a ForeignKey or apps.get_model() ties a module to that app as an import does.
MODEL_LABEL = re.compile(rf"({'|'.join(APPS)})\.[A-Z]\w*")

PRIVATE_ORM = {"_raw_delete", "_result_cache", "_prefetch_done", "_find_for_request"}
# Private to Django's Redis cache client; only looked for where django.core.cache is imported,
# since names like ``_client`` mean other things elsewhere.
PRIVATE_CACHE = {
    "_get_connection_pool_index",
    "_pools",
    "_pool_class",
    "_servers",
    "_pool_options",
    "_client",
    "_class",
}

# Public paths routed by an app's own urls.py: other apps link to them with {% url %}/reverse().
ROUTED_PATHS = {"feedback": "/feedback/", "home": "/search/"}


@dataclass(frozen=True)
class Import:
    path: str  # relative to the project root
    line: int
    source: str  # importing module
    target: str  # imported project module (or package), or a model label
    how: str = "imports"

    def __str__(self):
        return f"{self.path}:{self.line}: {self.source} {self.how} {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_files(suffixes=(".py",)):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts and "__pycache__" not in path.parts:
                yield path


MODULES = {module_name(path) for path in project_files()}


def imports_in(source: str, module: str, path: str = "<string>", *, is_package=False):
    """Every project module ``source`` (the text of ``module``) imports, relative ones resolved."""
    return sorted(_imports(source, module, path, is_package), key=lambda imp: imp.line)


def _imports(source, module, path, is_package):
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from feedback import trust`` imports the subpackage feedback.trust.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in LOADERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            targets = [node.args[0].value]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and MODEL_LABEL.fullmatch(node.value)
        ):
            yield Import(path, node.lineno, module, node.value, "names model")
        for target in dict.fromkeys(targets):
            if target.split(".")[0] in APPS:
                yield Import(path, node.lineno, module, target)


def all_imports():
    for file in project_files():
        yield from imports_in(
            file.read_text(),
            module_name(file),
            str(file.relative_to(ROOT)),
            is_package=file.name == "__init__.py",
        )


def layer(module: str) -> int:
    if any(module == shell or module.startswith(shell + ".") for shell in SHELL):
        return TOP
    return LAYER[module.split(".")[0]]


def upward(imports) -> list[str]:
    """Imports from a lower layer to a higher one, or between the two apps of the same layer."""
    found = []
    for imp in imports:
        source_app, target_app = imp.source.split(".")[0], imp.target.split(".")[0]
        source, target = layer(imp.source), layer(imp.target)
        if source == TOP:
            continue
        if target > source or (target == source and source_app != target_app):
            found.append(f"{imp}  (layer {source} → {target})")
    return found


def node(module: str, *, depth: int) -> str:
    """What a module counts as in the package graph: its app, or at depth 2 its app's subpackage
    (``feedback.trust``, ``portal.search``). Django's own containers (``models/``,
    ``templatetags/``, ``management/``) are part of their app. The shell modules are nodes of their
    own: they import every app by design."""
    parts = module.split(".")
    if depth == 0:  # every module on its own: page models that call their views lazily, say
        return module
    if layer(module) == TOP:
        return ".".join(parts[:2])
    if (
        depth == 2
        and len(parts) > 1
        and parts[1] not in DJANGO_CONTAINERS
        and (ROOT / parts[0] / parts[1] / "__init__.py").exists()
    ):
        return ".".join(parts[:2])
    return parts[0]


def cycles(imports, *, depth: int) -> list[str]:
    """One readable cycle per strongly connected group of packages, with an import for each edge."""
    edges: dict[str, dict[str, Import]] = {}
    for imp in imports:
        a, b = node(imp.source, depth=depth), node(imp.target, depth=depth)
        if a != b:
            edges.setdefault(a, {}).setdefault(b, imp)
    found, seen = [], set()
    for start in sorted(edges):
        path = _cycle_from(start, edges)
        if path and frozenset(path) not in seen:
            seen.add(frozenset(path))
            hops = [edges[a][b] for a, b in zip(path, path[1:] + path[:1], strict=True)]
            found.append(" → ".join([*path, path[0]]) + "".join(f"\n      {hop}" for hop in hops))
    return found


def _cycle_from(start, edges):
    """The shortest path from ``start`` back to itself (breadth first), or None."""
    queue, parents = [start], {start: None}
    while queue:
        here = queue.pop(0)
        for there in sorted(edges.get(here, {})):
            if there == start:
                path = [here]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])
                return path[::-1]
            if there not in parents:
                parents[there] = here
                queue.append(there)
    return None


def private_api_uses(source: str, path: str = "<string>") -> list[str]:
    tree = ast.parse(source)
    uses_cache = any(
        isinstance(n, ast.ImportFrom | ast.Import)
        and any(
            (getattr(n, "module", None) or alias.name).startswith("django.core.cache") for alias in n.names
        )
        for n in ast.walk(tree)
    )
    names = PRIVATE_ORM | (PRIVATE_CACHE if uses_cache else set())
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in names]
    return [f"{path}:{n.lineno}: {ast.unparse(n)}" for n in sorted(uses, key=lambda n: n.lineno)]


def hard_coded_paths(text: str, owner: str, path: str = "<string>", *, python=False) -> list[str]:
    """Another app's routed path typed out in ``text`` (a template, or Python source whose string
    literals are looked at, not its comments or docstrings), which belongs to ``owner``."""
    if python:
        tree = ast.parse(text)
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        strings = [
            (n.lineno, n.value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
        ]
    else:
        strings = [(number, line) for number, line in enumerate(text.splitlines(), 1)]
    return [
        f"{path}:{number}: {prefix} (route of {app}) typed out: use {{% url %}}/reverse() or a hook"
        for number, value in sorted(strings)
        for app, prefix in ROUTED_PATHS.items()
        if app != owner
        and (value.startswith(prefix) if python else re.search(rf"[\"'=]{re.escape(prefix)}", value))
    ]


def _owner(file: Path) -> str | None:
    """The app a file's text speaks for; None for the shell and demo content (data, not code)."""
    relative = file.relative_to(ROOT)
    if file.suffix == ".py" and (file.stem == "demo" or file.stem.startswith("demo_")):
        return None
    if file.suffix == ".py" and layer(module_name(file)) == TOP:
        return None
    if relative.parts[:2] == ("portal", "templates"):  # base.html and the error pages: the shell
        return None
    return relative.parts[0]


def _report(title: str, problems: list[str]) -> str:
    return f"{len(problems)} {title}:\n  " + "\n  ".join(problems)


# -- the project ------------------------------------------------------------------------------


def test_apps_import_downward_only():
    problems = upward(all_imports())
    assert not problems, _report("imports against the layers (move the code down, or use a hook)", problems)


def test_no_cycle_between_packages():
    imports = list(all_imports())
    problems = list(dict.fromkeys([*cycles(imports, depth=1), *cycles(imports, depth=2)]))
    assert not problems, _report("import cycles between packages", problems)


def concern_rank(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "feedback":
        return None
    if len(parts) > 1 and parts[1] in FEEDBACK_CONCERNS:
        return FEEDBACK_CONCERNS.index(parts[1])
    return len(FEEDBACK_CONCERNS)


def test_feedback_concerns_import_only_the_ones_below():
    problems = [
        str(imp)
        for imp in all_imports()
        if concern_rank(imp.source) is not None
        and concern_rank(imp.target) is not None
        and concern_rank(imp.target) > concern_rank(imp.source)
    ]
    assert not problems, _report(f"imports against {' ← '.join(FEEDBACK_CONCERNS)}", problems)


def test_no_cycle_between_modules():
    problems = cycles([imp for imp in all_imports() if imp.how == "imports"], depth=0)
    assert not problems, _report("import cycles between modules (a lazy import hides them too)", problems)


def test_no_private_django_or_wagtail_api_outside_tests():
    problems = [
        use
        for file in project_files()
        for use in private_api_uses(file.read_text(), str(file.relative_to(ROOT)))
    ]
    assert not problems, _report("uses of private APIs (find the public one, or measure why not)", problems)


def test_links_between_apps_are_not_typed_out():
    problems = []
    for file in project_files((".py", ".html", ".txt")):
        owner = _owner(file)
        if owner is not None:
            relative = str(file.relative_to(ROOT))
            problems += hard_coded_paths(file.read_text(), owner, relative, python=file.suffix == ".py")
    assert not problems, _report("links to another app's routes typed out", problems)


# -- the checker itself can fail ----------------------------------------------------------------


BAD_HOME_MODULE = """
from django.utils.module_loading import import_string

from .models import HomePage


def sections():
    from feedback.selectors import public_board

    return import_string("notices.selectors.latest"), public_board, apps.get_model("feedback.Complaint")
"""


def test_checker_reports_upward_imports_in_functions_strings_and_resolves_relative_ones():
    imports = list(imports_in(BAD_HOME_MODULE, "home.sections", "home/sections.py"))
    assert [str(i) for i in imports] == [
        "home/sections.py:4: home.sections imports home.models",
        "home/sections.py:8: home.sections imports feedback.selectors",
        "home/sections.py:10: home.sections imports notices.selectors.latest",
        "home/sections.py:10: home.sections names model feedback.Complaint",
    ]
    assert upward(imports) == [
        "home/sections.py:8: home.sections imports feedback.selectors  (layer 1 → 3)",
        "home/sections.py:10: home.sections imports notices.selectors.latest  (layer 1 → 2)",
        "home/sections.py:10: home.sections names model feedback.Complaint  (layer 1 → 3)",
    ]
    sideways = imports_in(
        "from servicecatalog.models import StationPage", "notices.models", "notices/models.py"
    )
    assert upward(sideways) == [
        "notices/models.py:1: notices.models imports servicecatalog.models  (layer 2 → 2)"
    ]
    assert upward(imports_in("from feedback import views", "portal.urls")) == []  # the shell


def test_checker_reports_cycles_private_apis_and_typed_out_links():
    there = Import("home/a.py", 1, "home.a", "notices.b")
    back = Import("notices/b.py", 2, "notices.b", "home.c")
    assert cycles([there, back], depth=1) == [f"home → notices → home\n      {there}\n      {back}"]
    assert cycles([there], depth=1) == []
    assert (
        concern_rank("feedback.trust.models")
        < concern_rank("feedback.complaints.services")
        < concern_rank("feedback.urls")
    )
    lazy = Import("notices/models.py", 9, "notices.models", "notices.views")
    models = Import("notices/views.py", 3, "notices.views", "notices.models")
    assert cycles([lazy, models], depth=1) == []  # one app
    assert len(cycles([lazy, models], depth=0)) == 1
    source = "from django.core.cache import cache\nqs._result_cache = []\ncache._cache._pools.clear()\n"
    assert private_api_uses(source, "x.py") == ["x.py:2: qs._result_cache", "x.py:3: cache._cache._pools"]
    assert private_api_uses("self._client = None") == []  # not a cache module
    assert hard_coded_paths('<a href="/feedback/report/">', "servicecatalog", "t.html") == [
        "t.html:1: /feedback/ (route of feedback) typed out: use {% url %}/reverse() or a hook"
    ]
    assert hard_coded_paths('<a href="/feedback/report/">', "feedback") == []
    source = '"""Links to /feedback/."""\nURL = f"/feedback/report/?{q}"\n'
    assert len(hard_coded_paths(source, "notices", python=True)) == 1
