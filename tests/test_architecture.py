"""House rules: imports run one way, private names stay home, rooms stay small.

See docs/architecture.md for the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "parscore"

# Layers, bottom to top: a module may import from its own layer and the layers below.
# A module is placed by the longest prefix of its dotted name listed here.
LAYERS: dict[str, int] = {
    "parscore.errors": 0,
    "parscore.typing": 0,
    "parscore._version": 0,
    "parscore._rounding": 0,
    "parscore._params": 0,
    "parscore._optional": 0,
    "parscore.limits": 0,  # limits on untrusted input, read by every reader
    "parscore._display": 0,  # notebook display helpers: below model and result
    "parscore.model": 1,
    "parscore.rules": 1,
    "parscore.ranking": 2,
    "parscore._tiering": 2,  # tiers by type, caps and quotas: array functions below the engine
    "parscore.plugins": 2,
    "parscore._converter": 3,  # the scheme format: converter, JSON Schema, fingerprint
    "parscore._format": 3,
    "parscore.io._json_schema": 3,
    "parscore.io._files": 3,  # shared file reading (CSV text, XLSX), used by scheme tables
    "parscore.io._formula": 3,  # formula-safe text cells, for every CSV/XLSX writer and reader
    "parscore.io.schemes": 3,
    "parscore.io.scheme_table": 3,
    "parscore.compile": 4,
    "parscore.measurements": 5,
    "parscore.result": 6,
    "parscore._exact": 6,  # exact at the half: rational recomputation of a few units
    "parscore._adjust": 6,  # bonus and penalty from measurements, for the engine and analyses
    "parscore.engine": 7,
    "parscore.analysis": 8,
    "parscore.report": 8,
    "parscore.io": 8,
    "parscore.datasets": 8,
    "parscore.testing": 8,
    "parscore.cli": 9,
    "parscore.plots": 9,  # matplotlib figures for notebooks, above results and analyses
    "parscore": 10,  # the package itself re-exports everything
}

# Modules allowed to exceed the size limit, each with the reason (keep this short).
SIZE_EXCEPTIONS: dict[str, str] = {}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _layer(module: str) -> int:
    best = ""
    for prefix in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    if not best:
        msg = f"module {module} has no layer in tests/test_architecture.py"
        raise AssertionError(msg)
    return LAYERS[best]


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) for every import of parscore, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("parscore"):
                names = [a.name for a in node.names]
                # "from parscore import x" may name a submodule x
                out.append((base, names, node.lineno))
        elif isinstance(node, ast.Import):
            out.extend(
                (a.name, [], node.lineno) for a in node.names if a.name.startswith("parscore")
            )
    return out


def _private_owner(imported: str) -> str | None:
    """The package owning the first private part of *imported* (None: nothing private)."""
    parts = imported.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and part != "__init__":
            return ".".join(parts[:i])
    return None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


MODULES = _modules()


def test_every_module_has_a_layer() -> None:
    """Each module of src/parscore is placed in a layer."""
    for module in MODULES:
        _layer(module)


def test_imports_run_one_way() -> None:
    """No module imports from a layer above its own, even inside a function."""
    wrong = []
    for module, path in MODULES.items():
        if module == "parscore":
            continue
        mine = _layer(module)
        for imported, names, line in _imports(module, path):
            targets = [imported]
            if imported == "parscore":
                targets = [f"parscore.{n}" for n in names if f"parscore.{n}" in MODULES]
                if len(targets) < len(names):
                    targets.append("parscore")
            wrong.extend(
                f"{path.relative_to(SRC)}:{line} ({mine}) imports {target}"
                for target in targets
                if _layer(target) > mine and not _within(target, module)
            )
    assert not wrong, "imports running back up:\n" + "\n".join(sorted(wrong))


def test_no_module_reaches_another_modules_private_names() -> None:
    """A private module or name is imported only from within the package that owns it."""
    wrong = []
    for module, path in MODULES.items():
        for imported, names, line in _imports(module, path):
            owner = _private_owner(imported)
            if owner is not None and not _within(module, owner):
                wrong.append(f"{path.relative_to(SRC)}:{line} imports private {imported}")
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if private and not _within(module, imported) and imported != module:
                own_package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                if not _within(imported, own_package):
                    wrong.append(
                        f"{path.relative_to(SRC)}:{line} imports {', '.join(private)} "
                        f"from {imported}"
                    )
    assert not wrong, "private names reached from outside:\n" + "\n".join(sorted(wrong))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    """No module grows past 500 lines, except those listed with a reason."""
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    if module in SIZE_EXCEPTIONS:
        return
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it into a package"
