"""The release (issue 12): one version, the Pythons stated, the changelog, the workflows, CI.

The build itself (sdist and wheel, ``twine check``, the wheel in a fresh virtual environment
running ``parscore demo``) is a step of ``.ci/run``; these tests keep the files that describe
the release in agreement with each other.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import parscore as ps
import parscore._version
from parscore.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
WORKFLOWS = ROOT / ".github" / "workflows"
SOURCE_VERSION = parscore._version.__version__

SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")


def _workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_version_is_written_once() -> None:
    """The pyproject takes the version from src/parscore/_version.py, a valid PEP 440 version."""
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/parscore/_version.py"
    text = (ROOT / "src" / "parscore" / "_version.py").read_text(encoding="utf-8")
    assert len(re.findall(r"^__version__ = ", text, flags=re.MULTILINE)) == 1
    assert str(Version(SOURCE_VERSION)) == SOURCE_VERSION  # normalised form, as in the wheel


def test_installed_version_module_and_command_agree() -> None:
    """The installed metadata, ``ps.__version__`` and ``parscore --version`` say the same."""
    try:
        installed = version("parscore")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        pytest.skip("parscore is not installed")
    assert installed == SOURCE_VERSION, "reinstall: the installed metadata is stale"
    assert ps.__version__ == SOURCE_VERSION
    output = CliRunner().invoke(main, ["--version"]).output
    assert output.strip() == f"parscore, version {SOURCE_VERSION}"


def test_the_version_is_newer_than_every_release_in_the_changelog() -> None:
    """Work in progress carries a version above the last one released."""
    released = [
        Version(m.group(1)) for line in CHANGELOG.splitlines() if (m := RELEASE_HEADING.match(line))
    ]
    assert released, "the changelog lists no release"
    assert Version(SOURCE_VERSION) > max(released)


def test_supported_pythons_are_stated_alike() -> None:
    """requires-python, the classifiers, ruff, mypy and the CI matrix name the same Pythons."""
    requires = SpecifierSet(PYPROJECT["project"]["requires-python"])
    classified = sorted(
        (int(m.group(1)), int(m.group(2)))
        for c in PYPROJECT["project"]["classifiers"]
        if (m := re.fullmatch(r"Programming Language :: Python :: (\d+)\.(\d+)", c))
    )
    oldest, newest = classified[0], classified[-1]
    assert classified == [(3, minor) for minor in range(oldest[1], newest[1] + 1)]
    assert f"{oldest[0]}.{oldest[1]}" in requires
    assert f"{oldest[0]}.{oldest[1] - 1}" not in requires
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{oldest[0]}{oldest[1]}"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == f"{oldest[0]}.{oldest[1]}"
    matrix = _workflow("ci.yml")["jobs"]["ci"]["strategy"]["matrix"]["python"]
    assert matrix == [f"3.{minor}" for minor in range(oldest[1], newest[1] + 1)]


def test_changelog_keeps_a_changelog() -> None:
    """Unreleased first, then releases newest first, the usual sections, link references."""
    headings = [line for line in CHANGELOG.splitlines() if line.startswith("## ")]
    assert headings[0] == "## [Unreleased]"
    releases = [RELEASE_HEADING.match(h) for h in headings[1:]]
    assert all(releases), [h for h, m in zip(headings[1:], releases, strict=True) if not m]
    versions = [Version(m.group(1)) for m in releases if m]
    assert versions == sorted(versions, reverse=True)
    for block in re.split(r"^## ", CHANGELOG, flags=re.MULTILINE)[1:]:
        sections = re.findall(r"^### (.+)$", block, flags=re.MULTILINE)
        assert set(sections) <= set(SECTIONS), sections
        assert len(sections) == len(set(sections)), f"a section repeated: {sections}"
        assert sections == sorted(sections, key=SECTIONS.index)
    for name in ["Unreleased", *(str(v) for v in versions)]:
        assert re.search(rf"^\[{re.escape(name)}\]: https://\S+$", CHANGELOG, re.MULTILINE), name


def test_release_workflow_publishes_a_checked_build_with_trusted_publishing() -> None:
    """A `v*` tag builds, checks (twine, the wheel in a fresh venv) and publishes via OIDC."""
    workflow = _workflow("release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*"]
    jobs = workflow["jobs"]
    publish = next(
        job
        for job in jobs.values()
        if any("pypa/gh-action-pypi-publish" in s.get("uses", "") for s in job["steps"])
    )
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert {"test", "build"} <= set(publish["needs"])
    assert workflow["permissions"] == {"contents": "read"}
    build = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    for command in ("python -m build", "twine check", "GITHUB_REF_NAME", '/parscore" demo'):
        assert command in build
    tests = "\n".join(s.get("run", "") for s in jobs["test"]["steps"])
    assert "bash .ci/run" in tests
    assert "scripts/fuzz.py --total" in tests  # the release-size fuzz of issue 11


def test_ci_workflow_runs_the_ci_script() -> None:
    """Pushes and pull requests run .ci/run."""
    workflow = _workflow("ci.yml")
    assert "push" in workflow["on"]
    assert "pull_request" in workflow["on"]
    assert any(s.get("run") == "bash .ci/run" for s in _steps(workflow))


def test_ci_script_builds_checks_and_runs_the_wheel_in_a_fresh_venv() -> None:
    """The release checks are CI steps: build, twine check, the wheel alone running the demo."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for needle in ("python -m build", "twine check --strict", "dist/*.whl", "parscore demo"):
        assert needle in script
    build = script.index("python -m build")
    fresh = script.index("-m venv", build)
    assert script.index("dist/*.whl") > fresh


def test_ci_script_tests_the_oldest_and_newest_supported_python() -> None:
    """.ci/run runs tests under the oldest and the newest Python the classifiers name."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    helper = ROOT / "scripts" / "test-python.sh"
    assert helper.stat().st_mode & 0o111, "scripts/test-python.sh is not executable"
    classified = [
        c.rsplit(" ", 1)[1]
        for c in PYPROJECT["project"]["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: \d+\.\d+", c)
    ]
    run = re.findall(r"^scripts/test-python\.sh --if-available (\S+)", script, re.MULTILINE)
    assert run == [classified[0], classified[-1]]


def test_ci_script_refuses_to_skip_the_docs_notebook_and_web_tests() -> None:
    """A skip of the docs build, the tour notebook, the Dask recipe or the web tests fails CI."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (guard,) = re.findall(r'^if grep -E "\^SKIPPED (.*)" \\$', script, re.MULTILINE)
    for test in (
        "tests/docs/test_docs_build.py",
        "tests/docs/test_scale_recipe.py",
        "tests/notebook/test_tour.py",
        "tests/web/test_app.py",
    ):
        assert (ROOT / test).is_file(), test
        line = f"SKIPPED [1] {test}:20: not installed"
        assert re.match("^SKIPPED " + guard.replace("\\\\", "\\"), line), test
    assert not re.match("^SKIPPED " + guard, "SKIPPED [1] tests/report/test_x.py:3: no chromium")


def test_no_docstring_names_a_version_after_this_one() -> None:
    """``versionadded`` / ``versionchanged`` / ``deprecated`` name this release or an older one."""
    from parscore._version import __version__

    current = tuple(int(p) for p in __version__.split(".")[:2])
    root = Path(__file__).resolve().parent.parent
    directive = re.compile(r"(?:versionadded|versionchanged|deprecated)::\s*(\d+)\.(\d+)")
    late = [
        f"{path.relative_to(root)}:{number}"
        for path in [*(root / "src").rglob("*.py"), *(root / "docs").rglob("*.md")]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for found in directive.finditer(line)
        if (int(found.group(1)), int(found.group(2))) > current
    ]
    assert not late, late
