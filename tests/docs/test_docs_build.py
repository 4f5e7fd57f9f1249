"""The docs build as CI builds them (warnings are errors, no network) and cite shipped pages."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "parscore"

# notes kept beside the code (design, domain, style) that the package does not ship
_UNSHIPPED = re.compile(r"\b(DESIGN|DOMAIN|STYLE)(\.md)?\s*§|\b(DESIGN|DOMAIN|STYLE)\.md\b")


def _pages() -> list[Path]:
    """Every Markdown page of the docs site."""
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)


@pytest.mark.skipif(
    importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_parser") is None,
    reason="sphinx and myst-parser are not installed (the docs extra: pip install -e '.[docs]')",
)
def test_the_docs_build_with_warnings_as_errors_and_no_network(tmp_path: Path) -> None:
    """``sphinx-build -W --keep-going -b html docs OUT`` succeeds with intersphinx off.

    Each warning fails the build: a link to a page that does not exist, a page outside every
    toctree, a docstring reST cannot read. The inventories of other projects are never fetched,
    so the build passes on a machine without network.
    """
    env = {k: v for k, v in os.environ.items() if k != "PARSCORE_DOCS_INTERSPHINX"}
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    run = subprocess.run(
        [*command, "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr, run.stderr
    for page in ("index", "tutorial", "tutorial-vi", "glossary", "howto/index", "howto/scale"):
        assert (tmp_path / "html" / f"{page}.html").is_file(), page


def test_the_build_script_runs_the_ci_command() -> None:
    """docs/build.sh treats warnings as errors and fetches nothing unless asked."""
    script = (DOCS / "build.sh").read_text(encoding="utf-8")
    assert "-W --keep-going" in script
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    # intersphinx is added only when PARSCORE_DOCS_INTERSPHINX=1
    (listed,) = re.findall(r"^extensions = \[(.*?)\]", conf, re.MULTILINE | re.DOTALL)
    assert "intersphinx" not in listed
    assert 'os.environ.get("PARSCORE_DOCS_INTERSPHINX") == "1"' in conf


def test_readthedocs_builds_the_same_way() -> None:
    """.readthedocs.yaml fails on warnings and installs the docs extra."""
    text = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    assert "fail_on_warning: true" in text
    assert "configuration: docs/conf.py" in text
    assert "- docs" in text


def test_the_docs_extra_installs_what_the_conf_needs() -> None:
    """The docs extra lists sphinx and myst-parser, the only packages conf.py imports."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (docs,) = re.findall(r"^docs = \[(.*?)\]", pyproject, re.MULTILINE)
    assert "sphinx" in docs
    assert "myst-parser" in docs


def test_no_page_cites_a_document_that_does_not_ship() -> None:
    """No docs page and no docstring points at the design, domain or style notes."""
    cited = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [*_pages(), *sorted(SRC.rglob("*.py"))]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _UNSHIPPED.search(line)
    ]
    assert not cited, cited


def test_links_between_pages_name_pages_that_exist() -> None:
    """Every relative Markdown link of a page names a file of docs/ (Sphinx checks anchors)."""
    link = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")
    broken = []
    for page in _pages():
        for target, _anchor in link.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(DOCS)} -> {target}")
    assert not broken, broken


def test_the_glossary_covers_the_words_of_the_additions() -> None:
    """Unit types, caps, quotas, adjustment items and limits have an entry, with a link."""
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    entries = {m.group(1) for m in re.finditer(r"^\| \*\*([^*]+)\*\*", text, re.MULTILINE)}
    for word in ("unit type", "cap", "quota", "item", "limit", "ranking group", "scale tier"):
        assert word in entries, word
    for anchor in ("#unit-types", "#conditions-that-cap-a-tier-caps", "#named-bonus-and-penalty"):
        assert f"scheme-format.md{anchor}" in text


def test_the_index_lists_the_new_pages() -> None:
    """The tutorials and the how-to guides are in the index's toctree."""
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    (toctree,) = re.findall(r"```\{toctree\}\n(.*?)```", text, re.DOTALL)
    for page in ("tutorial", "tutorial-vi", "howto/index"):
        assert page in toctree.split(), page
    howto = (DOCS / "howto" / "index.md").read_text(encoding="utf-8")
    for page in ("web", "notebook", "plugin", "scale"):
        assert (DOCS / "howto" / f"{page}.md").is_file()
        assert f"\n{page}\n" in howto, page


def test_the_reference_documents_every_public_name() -> None:
    """Each name of ``parscore.__all__`` has an autodoc entry in docs/reference.md."""
    import parscore

    text = (DOCS / "reference.md").read_text(encoding="utf-8")
    entries = set(re.findall(r"^\.\. auto\w+:: parscore\.(\w+)", text, re.MULTILINE))
    assert not [n for n in parscore.__all__ if n not in entries and n != "__version__"]


def test_docs_pages_named_in_docstrings_and_readme_exist() -> None:
    """A docstring or the README saying "see docs/data.md" names a page that ships."""
    mention = re.compile(r"\bdocs/[\w./-]*\w")
    missing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in [ROOT / "README.md", *sorted(SRC.rglob("*.py"))]
        for name in mention.findall(path.read_text(encoding="utf-8"))
        if not (ROOT / name).exists()
    ]
    assert not missing, missing
