"""feedback is one app of concerns that depend one way: common <- trust <- evaluations <- complaints.

Every import counts, also one inside a function, so no cycle can hide there; apps
below feedback never import it, and feedback never imports portal's urls or settings.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEEDBACK = ROOT / "feedback"
# What each concern may import of the others.
ALLOWED = {
    "common": set(),
    "trust": {"common"},
    "evaluations": {"common", "trust"},
    "complaints": {"common", "trust", "evaluations"},
}


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("concern", ALLOWED)
def test_concern_imports_only_the_concerns_below_it(concern):
    used = set()
    for path in (FEEDBACK / concern).rglob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "feedback" and len(parts) > 1 and parts[1] in ALLOWED and parts[1] != concern:
                used.add(parts[1])
    assert used <= ALLOWED[concern], f"feedback/{concern} imports {sorted(used - ALLOWED[concern])}"


def test_feedback_imports_no_project_wiring_and_no_lower_app_imports_feedback():
    for path in FEEDBACK.rglob("*.py"):
        wiring = {n for n in _imports(path) if n.startswith(("portal.urls", "portal.settings"))}
        assert not wiring, f"{path.relative_to(ROOT)} imports {sorted(wiring)}"
    for app in ("home", "notices", "servicecatalog", "portal"):
        for path in (ROOT / app).rglob("*.py"):
            if app == "portal" and path.name == "urls.py" or "settings" in path.parts:
                continue  # the project's wiring: it routes feedback's URLs and installs the app
            uses = {n for n in _imports(path) if n.split(".")[0] == "feedback"}
            assert not uses, f"{path.relative_to(ROOT)} imports {sorted(uses)}"
