"""The project model: everything rules may know about one model folder, built once.

Files are read lazily and at most once; Python files are parsed only when a rule (or the
local-import walk) asks for them. Rules never touch the file system: they ask this object.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from pipelint.core.paths import COG_YAML, iter_files, resolve_path
from pipelint.core.records import Record
from pipelint.core.settings import Settings
from pipelint.core.source import SourceFile, read_source
from pipelint.model import yamlnodes
from pipelint.model.python import PythonModule
from pipelint.model.requirements import Requirements

DEFAULT_REQUIREMENTS = "requirements.txt"
_PREDICT_RE = re.compile(r"^(?P<file>[^:]+\.py):(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")
_BARE_FILE_RE = re.compile(r"^(?P<file>[^:]+\.py)$")


class PredictRef(Record):
    """A cog.yaml entry (``predict:``, ``run:``, ``train:``). ``problem`` says why it cannot be
    followed, if it cannot."""

    key_node: object  # yaml.Node of the key (``predict`` or ``run``)
    value_node: object  # yaml.Node of the value
    raw: object  # the scalar value (may be a non-string)
    file: str | None  # as written, e.g. "main.py" or "src/main.py"
    name: str | None
    path: Path | None  # resolved, inside the model folder
    problem: str | None  # "format" | "outside" | "missing" | "not-python"
    # A bare ``FILE.py`` ref (no ``:NAME``) keeps ``problem = "format"`` (the pipelines runtime and
    # cog's build-time schema parser refuse it), but cog's Python loader accepts it and picks
    # ``Runner`` or ``Predictor``: this is that file, resolved, when it exists inside the folder.
    unnamed_path: Path | None

    def __init__(
        self,
        key_node: object,
        value_node: object,
        raw: object,
        file: str | None = None,
        name: str | None = None,
        path: Path | None = None,
        problem: str | None = None,
        unnamed_path: Path | None = None,
    ) -> None:
        self.key_node = key_node
        self.value_node = value_node
        self.raw = raw
        self.file = file
        self.name = name
        self.path = path
        self.problem = problem
        self.unnamed_path = unnamed_path


class ProjectCache:
    """What the lints of one model folder parsed, kept for its next lint, by each file's text.

    An editor lints the same model on every keystroke, the fixer re-lints it after each round
    of fixes, and mostly one file changed. Given to ``Project``, this hands back the composed
    cog.yaml, the parsed requirements and each Python module's libcst tree and metadata (scopes,
    positions) when the file's text is exactly the text they were built from, and builds them
    afresh otherwise. The key is the text itself, compared in full (never a time stamp or a
    hash), so nothing reused can be stale; the files are still read on every lint, only the
    parsing is saved. Only what is a function of one file's text is kept: what the analysis
    derives across files (``PythonModule.facts``: the entry, the type resolver, the calls) is
    rebuilt by every lint, from a fresh ``PythonModule`` that shares the parse.

    One per model folder (the editor keeps one per folder it lints); one entry per path, the
    last text seen. Used by one lint at a time: not thread-safe.
    """

    def __init__(self) -> None:
        self._yaml: dict[Path, tuple[str, yamlnodes.YamlDocument]] = {}
        self._requirements: dict[Path, tuple[str, Requirements]] = {}
        self._modules: dict[Path, tuple[tuple, PythonModule]] = {}
        self.reused: list[Path] = []  # the paths whose parse the last lint reused (tests, benchmarks)
        self.parsed: list[Path] = []  # the paths it had to parse

    def begin(self) -> None:
        """Start counting for a new lint."""
        self.reused, self.parsed = [], []

    def compose(self, path: Path, text: str) -> yamlnodes.YamlDocument:
        hit = self._yaml.get(path)
        if hit is not None and hit[0] == text:
            self.reused.append(path)
            return hit[1]
        self.parsed.append(path)
        doc = yamlnodes.compose(text)
        self._yaml[path] = (text, doc)
        return doc

    def requirements(self, path: Path, text: str) -> Requirements:
        from pipelint.model import requirements

        hit = self._requirements.get(path)
        if hit is not None and hit[0] == text:
            self.reused.append(path)
            return hit[1]
        self.parsed.append(path)
        parsed = requirements.parse(text)
        self._requirements[path] = (text, parsed)
        return parsed

    def module(self, source: SourceFile, name: str, is_package: bool) -> PythonModule:
        """A new ``PythonModule`` for this lint, sharing the tree and metadata of the last one
        built from the same text under the same name."""
        module = PythonModule(source, name, is_package=is_package)
        if source.text is None:
            self._modules.pop(source.path, None)
            return module
        key = (source.rel, source.text, source.bom, source.newline, name, is_package)
        hit = self._modules.get(source.path)
        if hit is not None and hit[0] == key and module.share_parse_of(hit[1]):
            self.reused.append(source.path)
        else:
            self.parsed.append(source.path)
        self._modules[source.path] = (key, module)
        return module


class Project:
    def __init__(self, root: Path, settings: Settings | None = None, overlays: dict[Path, str] | None = None,
                 cache: ProjectCache | None = None):
        self.root = root.resolve()
        self.settings = settings or Settings()
        self.cache = cache
        if cache is not None:
            cache.begin()
        self.overlays = {Path(p).resolve(): t for p, t in (overlays or {}).items()}
        self._files: dict[Path, SourceFile | None] = {}
        self._modules: dict[Path, PythonModule] = {}
        self._refs: dict[str, PredictRef | None] = {}
        # Every path whose existence a rule asked about, and the answer: the result cache re-checks them.
        self.probed: dict[Path, bool] = {}

    # ---- files -------------------------------------------------------------------------
    def path(self, rel: str) -> Path:
        return resolve_path(self.root / rel)

    def inside(self, path: Path) -> bool:
        try:
            resolve_path(path).relative_to(self.root)
            return True
        except ValueError:
            return False

    def exists(self, rel_or_path) -> bool:
        p = rel_or_path if isinstance(rel_or_path, Path) else self.path(rel_or_path)
        if p in self.overlays:
            return True
        try:
            found = p.is_file()
        except (OSError, ValueError):  # ValueError: a NUL byte or a lone surrogate in a name from cog.yaml
            found = False
        self.probed[p] = found
        return found

    def file(self, rel_or_path) -> SourceFile | None:
        """The file, read once; None when it does not exist."""
        p = rel_or_path if isinstance(rel_or_path, Path) else self.path(rel_or_path)
        if p not in self._files:
            self._files[p] = read_source(p, self.root, self.overlays) if self.exists(p) else None
        return self._files[p]

    @property
    def files_read(self) -> list[SourceFile]:
        return [f for f in self._files.values() if f is not None]

    @cached_property
    def cog_version(self) -> str:
        """The cog release line the model is judged for: ``cog-version``, else the newest cog known."""
        from pipelint.model import cog_data

        return self.settings.cog_version or cog_data.newest_cog_version()

    # ---- cog.yaml ----------------------------------------------------------------------
    @cached_property
    def cog_file(self) -> SourceFile | None:
        return self.file(COG_YAML)

    @cached_property
    def cog(self) -> yamlnodes.YamlDocument | None:
        """The composed cog.yaml, or None when it is missing or unreadable."""
        if self.cog_file is None or self.cog_file.text is None:
            return None
        if self.cache is not None:
            return self.cache.compose(self.cog_file.path, self.cog_file.text)
        return yamlnodes.compose(self.cog_file.text)

    @property
    def cog_root(self):
        """The top-level mapping node of cog.yaml, or None when there is none to read."""
        doc = self.cog
        if doc is None or doc.error or not yamlnodes.is_mapping(doc.root):
            return None
        return doc.root

    def cog_get(self, *keys: str):
        """(key_node, value_node) of a nested key such as ``cog_get("build", "gpu")``, or None."""
        node, hit = self.cog_root, None
        for key in keys:
            hit = yamlnodes.get(node, key) if node is not None else None
            if hit is None:
                return None
            node = hit[1]
        return hit

    @cached_property
    def predict(self) -> PredictRef | None:
        """cog.yaml's ``predict:`` entry (the only one the pipelines runtime reads)."""
        return self.ref("predict")

    def ref(self, key: str) -> PredictRef | None:
        """cog.yaml's ``KEY: "FILE.py:NAME"`` entry (``predict``, ``run`` or ``train``), or None."""
        if key not in self._refs:
            self._refs[key] = self._read_ref(key)
        return self._refs[key]

    def _read_ref(self, key: str) -> PredictRef | None:
        hit = self.cog_get(key)
        if hit is None:
            return None
        key_node, value = hit
        raw = yamlnodes.scalar(value)
        ref = PredictRef(key_node, value, raw)
        m = _PREDICT_RE.match(raw.strip()) if isinstance(raw, str) else None
        if m is None:
            ref.problem = "format"
            bare = _BARE_FILE_RE.match(raw.strip()) if isinstance(raw, str) else None
            if bare is not None:
                path = resolve_path(self.root / bare["file"])
                if self.inside(path) and self.exists(path):
                    ref.unnamed_path = path
            return ref
        ref.file, ref.name = m["file"], m["name"]
        path = resolve_path(self.root / ref.file)
        if not self.inside(path):
            ref.problem = "outside"
        elif not self.exists(path):
            ref.problem = "missing"
        else:
            ref.path = path
        return ref

    # ---- requirements ------------------------------------------------------------------
    @cached_property
    def requirements_rel(self) -> str:
        hit = self.cog_get("build", "python_requirements")
        value = yamlnodes.scalar(hit[1]) if hit else None
        return value if isinstance(value, str) and value.strip() else DEFAULT_REQUIREMENTS

    @cached_property
    def requirements_file(self) -> SourceFile | None:
        path = self.path(self.requirements_rel)
        return self.file(path) if self.inside(path) else None

    @cached_property
    def requirements(self) -> Requirements | None:
        """The parsed requirements file, or None when it is missing or unreadable."""
        from pipelint.model import requirements

        f = self.requirements_file
        if f is None or f.text is None:
            return None
        if self.cache is not None:
            return self.cache.requirements(f.path, f.text)
        return requirements.parse(f.text)

    # ---- Python ------------------------------------------------------------------------
    def module(self, path: Path, name: str | None = None) -> PythonModule | None:
        path = resolve_path(path)
        if path not in self._modules:
            src = self.file(path)
            if src is None:
                return None
            if name is None:
                name = module_name(src.rel)
            is_package = path.name == "__init__.py"
            module = (self.cache.module(src, name, is_package) if self.cache is not None
                      else PythonModule(src, name, is_package=is_package))
            # what the module's imports are to the model (edits sort a new import among the local ones)
            module.facts["pipelint.model.project.local_modules"] = _local_modules_of(self)
            self._modules[path] = module
        return self._modules[path]

    @property
    def loaded_modules(self) -> list[PythonModule]:
        """Every Python module this lint has loaded so far (the entry, its imports, any other)."""
        return list(self._modules.values())

    @cached_property
    def entry_module(self) -> PythonModule | None:
        ref = self.predict
        if ref is None or ref.path is None:
            return None
        return self.module(ref.path)

    @cached_property
    def entry_node(self):
        """The top-level ``def``/``class`` that ``predict:`` names (the last one, as Python binds), or None."""
        mod, ref = self.entry_module, self.predict
        if mod is None or mod.tree is None:
            return None
        import libcst as cst

        found = None
        for stmt in mod.tree.body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) and stmt.name.value == ref.name:
                found = stmt
        return found

    @cached_property
    def top_level_names(self) -> set[str]:
        """Names bound at the top level of the entry module (defs, classes, assignments, imports)."""
        from pipelint.model.imports import top_level_bindings

        mod = self.entry_module
        return top_level_bindings(mod.tree) if mod is not None and mod.tree is not None else set()

    @cached_property
    def modules(self) -> list[PythonModule]:
        """The entry module and every local module it imports, transitively, in discovery order."""
        return self.modules_from(self.entry_module)

    def modules_from(self, first: PythonModule | None) -> list[PythonModule]:
        """``first`` and every local module it imports, transitively, in discovery order."""
        from pipelint.model.imports import local_imports

        if first is None:
            return []
        seen, order, queue = {first.source.path}, [first], [first]
        while queue:
            mod = queue.pop(0)
            if mod.tree is None:
                continue
            for target in local_imports(self, mod):
                if target not in seen and self.inside(target):
                    seen.add(target)
                    m = self.module(target)
                    if m is not None:
                        order.append(m)
                        queue.append(m)
        return order

    @cached_property
    def runtime(self):
        """The pipelines runtime the model is linted against (``pipelint.model.runtime.RuntimeData``)."""
        from pipelint.model.runtime import load

        return load(self.settings.runtime_requirements)

    @cached_property
    def local_modules(self) -> frozenset[str]:
        """Top-level names the model folder makes importable: ``x`` for ``x.py`` and for a folder
        ``x/`` holding Python files (a package, or a namespace package without ``__init__.py``)."""
        names = set()
        for path in [*self.python_files(), *(p for p in self.overlays if p.suffix == ".py" and self.inside(p))]:
            first = path.relative_to(self.root).parts[0]
            name = first[:-3] if first.endswith(".py") else first
            if name.isidentifier():
                names.add(name)
        return frozenset(names)

    def python_files(self) -> list[Path]:
        """Every .py file of the model folder (for rules that must look beyond imports)."""
        return [p for p in iter_files(self.root) if p.suffix == ".py"]


def _local_modules_of(project):
    """A callable giving ``project.local_modules`` while the project lives (a weak reference: the
    module, held by the project, must not keep it alive)."""
    import weakref

    ref = weakref.ref(project)

    def local_modules() -> frozenset[str]:
        p = ref()
        return p.local_modules if p is not None else frozenset()

    return local_modules


def module_name(rel: str) -> str:
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)
