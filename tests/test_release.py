"""Install instructions and links that are true for whoever holds this repository: one version
(pyproject.toml) read everywhere, the release tag the README pins, rule pages shipped with the
package and every diagnostic's link resolving to one, and install hints that match how pipelint
was installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import FIXTURES, REPO, run_cli

from pipelint.core import meta

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs" / "rules"


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)


# ---- one version -----------------------------------------------------------------------------
def test_the_version_is_written_once():
    assert "version" not in PYPROJECT["project"].get("dynamic", [])
    assert meta.version() == VERSION
    import ast

    repeated = []  # a module that writes the version again: `__version__ = "0.1.0"` and the like
    for path in (REPO / "pipelint").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant) \
                    and node.value.value == VERSION:
                repeated.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert repeated == []


def test_sarif_and_version_flag_read_the_same_version(tmp_path):
    proc = run_cli("--no-cache", "--output-format", "sarif", str(FIXTURES / "examples" / "flux-caption"))
    driver = json.loads(proc.stdout)["runs"][0]["tool"]["driver"]
    assert driver["version"] == driver["semanticVersion"] == VERSION
    assert run_cli("--version").stdout == f"pipelint {VERSION}\n"


def test_the_readme_pins_this_version_and_the_tag_exists():
    pins = set(re.findall(r"rev: (v[0-9][^\s`]*)", README)) | set(re.findall(r"\.git@(v[0-9][^\s\"'`]*)", README))
    pins |= set(re.findall(r"git\+\S+@(v[0-9][^\s\"'`]*)", README))
    assert pins == {f"v{VERSION}"}, pins
    if shutil.which("git") is None or git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    if not git("tag", "--list").stdout.strip():
        pytest.skip("this clone carries no tags (a CI checkout may fetch none)")
    tag = git("cat-file", "-t", f"v{VERSION}")
    assert tag.returncode == 0 and tag.stdout.strip() == "tag", (
        f"the README pins v{VERSION}: create the release tag with `git tag -a v{VERSION} -m 'pipelint {VERSION}'`")


def readme_section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_no_address_is_claimed_that_pyproject_does_not_name():
    """The install and pre-commit instructions use the repository URL pyproject names, a clone's
    own path, or a placeholder: never an address nobody knows to exist."""
    repository = meta.repository_url()
    text = readme_section("Install") + readme_section("pre-commit")
    urls = re.findall(r"git\+(\S+?)@v", text) + re.findall(r"repo: (\S+)", text)
    assert urls
    for url in urls:
        assert url == repository or "<" in url or url.startswith(("file://", "/")), url
    assert "github.com" not in text


# ---- rule pages and links ----------------------------------------------------------------------
def _page_of(url: str, base: str) -> Path:
    assert url.startswith(base), (url, base)
    return DOCS / url[len(base):]


def _links_of_every_fixture() -> list[tuple[str, str]]:
    from pipelint.core.settings import SettingsError
    from pipelint.engine.config import settings_for_model
    from pipelint.engine.runner import lint

    links = []
    for folder in sorted(p.parent for p in FIXTURES.glob("**/expected.txt")):
        try:
            settings = settings_for_model(folder)
        except SettingsError:
            continue  # the fixtures of configuration errors lint nothing
        links += [(d.code, d.url) for d in lint(folder, settings).diagnostics]
    return links


def test_every_diagnostic_links_to_a_page_in_docs():
    """Every diagnostic of every fixture: its link is the page of its rule in docs/rules/."""
    links = _links_of_every_fixture()
    assert len({code for code, _ in links}) >= 50
    for code, url in links:
        parsed = urlparse(url)
        assert parsed.scheme == "file", url
        page = Path(unquote(parsed.path))
        assert page.is_file() and page.parent == DOCS and page.name == f"{code}.md", url


def test_the_cli_links_resolve_for_the_default_and_a_configured_base():
    proc = run_cli("--no-cache", "--output-format", "json", "--exit-zero", str(FIXTURES / "cog_yaml"))
    found = json.loads(proc.stdout)
    assert found
    for d in found:
        assert Path(unquote(urlparse(d["url"]).path)) == DOCS / f"{d['code']}.md"
    base = "https://docs.example.org/pipelint/rules/"
    proc = run_cli("--no-cache", "--output-format", "json", "--exit-zero", "--docs-url", base.rstrip("/"),
                   str(FIXTURES / "cog_yaml"))
    for d in json.loads(proc.stdout):
        assert _page_of(d["url"], base).is_file()


def test_docs_url_from_the_configuration(tmp_path, cli):
    model = shutil.copytree(FIXTURES / "cog_yaml" / "gpu_flow_style", tmp_path / "m")
    (tmp_path / "pipelint.toml").write_text('docs-url = "https://intranet.example/lint/"\n')
    out = json.loads(cli("--no-cache", "--output-format", "json", str(model)).stdout)
    assert out and all(d["url"] == f"https://intranet.example/lint/{d['code']}.md" for d in out)
    sarif = json.loads(cli("--no-cache", "--output-format", "sarif", str(model), cwd=tmp_path).stdout)
    assert all(r["helpUri"].startswith("https://intranet.example/lint/") for r in sarif["runs"][0]["tool"]["driver"]["rules"])
    (tmp_path / "pipelint.toml").write_text("docs-url = 3\n")
    assert cli("--no-cache", str(model)).returncode == 2


def test_a_repository_url_in_pyproject_becomes_the_link_base(tmp_path):
    """The day [project.urls] names a repository, links point into it at this version's tag."""
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "pipelint", checkout / "pipelint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", checkout / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    text = (REPO / "pyproject.toml").read_text().replace(
        "[project.optional-dependencies]", '[project.urls]\nRepository = "https://git.example.org/ml/pipelint"\n\n'
                                           "[project.optional-dependencies]", 1)
    (checkout / "pyproject.toml").write_text(text)
    code = "from pipelint.core import meta; print(meta.default_docs_base())"
    done = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(checkout)})
    assert done.stdout.strip() == f"https://git.example.org/ml/pipelint/blob/v{VERSION}/docs/rules/", done.stderr


def test_pyproject_ships_the_rule_pages_in_the_wheel():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["package-dir"]["pipelint.docs"] == "docs"
    assert setuptools["package-data"]["pipelint.docs"] == ["rules/*.md"]
    assert '"pipelint.docs"' in (REPO / "setup.py").read_text()


def test_an_installed_layout_shows_its_shipped_page(tmp_path):
    """As in a wheel: pipelint/docs/rules inside the package, no pyproject beside it."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "pipelint", site / "pipelint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", site / "pipelint" / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DOCS, site / "pipelint" / "docs" / "rules")
    page = site / "pipelint" / "docs" / "rules" / "PL106.md"
    page.write_text(page.read_text() + "\n<!-- the shipped copy -->\n")
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    done = subprocess.run([sys.executable, "-m", "pipelint", "rule", "PL106"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == page.read_text()
    link = subprocess.run([sys.executable, "-m", "pipelint", "--no-cache", "--output-format", "json",
                           str(FIXTURES / "cog_yaml" / "gpu_flow_style")], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert json.loads(link.stdout)[0]["url"] == page.as_uri()


@pytest.mark.network  # `pip wheel .` fetches setuptools from PyPI (build isolation)
def test_the_built_wheel_contains_every_rule_page(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = tmp_path.glob("pipelint-*.whl")
    assert wheel.name.startswith(f"pipelint-{VERSION}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for page in DOCS.glob("*.md"):
        assert f"pipelint/docs/rules/{page.name}" in names


# ---- install hints ---------------------------------------------------------------------------
BLOCK_LSP = ("import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
             "from pipelint.app.cli import main; raise SystemExit(main(['lsp']))")


def test_lsp_hint_for_an_editable_checkout_names_its_extra():
    if meta.editable_checkout() is None or meta.editable_checkout().resolve() != REPO:
        pytest.skip("pipelint is not installed editable from this checkout")
    done = subprocess.run([sys.executable, "-c", BLOCK_LSP], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 2
    assert f"{sys.executable} -m pip install -e '{REPO}[lsp]'" in done.stderr


def test_lsp_hint_elsewhere_names_the_packages_themselves(tmp_path):
    """Not this checkout's editable install (here: a copy of the package on PYTHONPATH): the
    packages of the `lsp` extra, with their versions from the one source."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "pipelint", site / "pipelint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", site / "pipelint" / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-c", BLOCK_LSP], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"})
    assert done.returncode == 2
    wanted = " ".join(f"'{r}'" for r in PYPROJECT["project"]["optional-dependencies"]["lsp"])
    assert f"-m pip install {wanted}" in done.stderr, done.stderr
    assert "pipelint[lsp]" not in done.stderr


# ---- the README's first command ------------------------------------------------------------------
def test_the_first_command_lints_the_broken_example_and_shows_its_fixes(tmp_path):
    first = README.split("```sh\n", 1)[1].split("\n", 1)[0]
    assert first.split("#")[0].strip() == "pip install . && pipelint fixtures/examples/broken-pipeline"
    assert "pipelint --fix --diff fixtures/examples/broken-pipeline" in README
    proc = run_cli("--no-cache", "fixtures/examples/broken-pipeline", cwd=REPO)
    assert proc.returncode == 1
    assert "fixable with --fix" in proc.stdout.splitlines()[-1]
    diff = run_cli("--fix", "--diff", "fixtures/examples/broken-pipeline", cwd=REPO)
    assert diff.returncode == 1 and "Would fix" in diff.stderr
    assert "+replicate>=1.1.0b1,<2.0.0a1" in diff.stdout  # requirements.txt gains the client
    assert "-  gpu: true" in diff.stdout and "+  gpu: false" in diff.stdout
    assert "replicate" not in (REPO / "fixtures/examples/broken-pipeline/requirements.txt").read_text()  # --diff writes nothing
