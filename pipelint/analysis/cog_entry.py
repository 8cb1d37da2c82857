"""The class or function entry of an ordinary cog model, as cog 0.23's loader takes it.

Built on ``pipelint.analysis.entry`` (``Entry``, ``Param``; types from
``pipelint.analysis.annotations``, ``Input()`` from ``pipelint.analysis.inputs``): no second type
model. What cog's ``cog.predictor.load_predictor_from_ref`` does (python/cog/predictor.py, read at
cog HEAD after 0.23.1) and what this module mirrors:

- the key: ``run:`` wins over ``predict:`` (both set is a cog.yaml error of its own); ``train:`` is
  a separate entry, loaded the same way.
- a ref without ``:NAME`` (``run: "predict.py"``; ``PredictRef.unnamed_path``): ``Runner`` when it
  is a class that passes validation (or a non-class callable), else ``Predictor``, else
  ``module … has no Runner or Predictor``. cog's build-time schema parser refuses such a ref
  (``invalid predict reference``, pkg/schema/generator.go parsePredictRef); the loader accepts it.
- a class: its ``run``/``predict`` is found through the MRO, stopping at cog's own ``BaseRunner`` /
  ``BasePredictor`` / ``object`` (so mixins listed *after* BaseRunner do not count). Both found:
  ``… must define either run() or predict(), not both``; neither: ``run or predict method not
  found: NAME``. This check applies to ``train:`` classes too (a class with only ``train()`` fails).
  Bases defined in the same module are followed; an imported base we cannot read makes the
  answer unknown (``CogEntry.bases_known`` is False), and rules should stay silent then.
- ``setup()``: found through the same MRO; its ``weights`` parameter (``has_setup_weights``);
  ``async def setup`` and ``async def run`` are allowed.
- ``@cog.concurrent`` (any spelling resolving to ``cog.concurrent``) on the run method.

API::

    from pipelint.analysis.cog_entry import cog_entry, COG_KEYS
    e = cog_entry(project)            # the run:/predict: entry, or None
    t = cog_entry(project, "train")   # the train: entry, or None
    e.key, e.ref                      # "run"|"predict"|"train", the PredictRef
    e.node                            # the ClassDef / FunctionDef (None: name not found)
    e.is_class, e.class_name
    e.run_methods                     # {"run": FunctionDef, "predict": FunctionDef} found via the MRO
    e.function                        # the method cog calls (run or predict), or the function
    e.params, e.inputs, e.returns, e.return_annotation   # as entry.Entry (self removed)
    e.setup, e.setup_params           # setup FunctionDef (or None) and its Params (self removed)
    e.has_setup_weights, e.is_async_setup, e.is_async, e.concurrent (the decorator node or None)
    e.train_method                    # a class's train() (via MRO) or None
    e.bases_known                     # False when an imported base could define methods
    e.by_default                      # the ref had no :NAME (Runner/Predictor chosen as cog's loader does)
    entry_path(ref)                   # the file cog loads for a ref (a bare ``FILE.py`` too)
    entry_modules(project)            # run:/predict: and train: modules and their local imports
    e.module, e.types                 # the entry module and its TypeResolver

Results are cached per module in ``module.facts``.
"""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import Entry, Param, _read_params, class_methods

COG_KEYS = ("run", "predict", "train")
FRAMEWORK_BASES = {"cog.BaseRunner", "cog.BasePredictor", "cog.predictor.BaseRunner",
                   "cog.predictor.BasePredictor", "builtins.object", "object"}
DEFAULT_CLASS_NAMES = ("Runner", "Predictor")


class CogEntry(Entry, eq=False):
    key: str
    ref: object
    class_name: str
    run_methods: dict
    setup: object
    setup_params: list[Param]
    train_method: object
    concurrent: object
    bases_known: bool
    by_default: bool  # the ref named no class: Runner/Predictor picked as cog's loader does
    mro: list  # ClassDefs of the module, the entry first

    def __init__(
        self,
        project: object,
        module: object,
        types: T.TypeResolver,
        node: object,
        function: object,
        self_param: object = None,
        params: list[Param] | None = None,
        key: str = "",
        ref: object = None,
        class_name: str = "",
        run_methods: dict | None = None,
        setup: object = None,
        setup_params: list[Param] | None = None,
        train_method: object = None,
        concurrent: object = None,
        bases_known: bool = True,
        by_default: bool = False,
        mro: list | None = None,
    ) -> None:
        super().__init__(project, module, types, node, function, self_param, params)
        self.key = key
        self.ref = ref
        self.class_name = class_name
        self.run_methods = {} if run_methods is None else run_methods
        self.setup = setup
        self.setup_params = [] if setup_params is None else setup_params
        self.train_method = train_method
        self.concurrent = concurrent
        self.bases_known = bases_known
        self.by_default = by_default
        self.mro = [] if mro is None else mro

    @property
    def has_setup_weights(self) -> bool:
        return any(p.name == "weights" for p in self.setup_params)

    @property
    def is_async_setup(self) -> bool:
        return self.setup is not None and self.setup.asynchronous is not None


def entry_key(project) -> str | None:
    """The cog.yaml key of the serving entry: ``run`` over ``predict``; None when neither."""
    for key in ("run", "predict"):
        if project.ref(key) is not None:
            return key
    return None


def cog_entry(project, key: str | None = None) -> CogEntry | None:
    """The entry cog loads for ``key`` (default: ``run:`` else ``predict:``), or None when the
    key is absent or its file cannot be read."""
    key = key or entry_key(project)
    if key is None:
        return None
    ref = project.ref(key)
    path = entry_path(ref)
    if path is None:
        return None
    module = project.module(path)
    if module is None or module.tree is None:
        return None
    cache = module.facts.setdefault("pipelint.analysis.cog_entry", {})
    if key not in cache:
        cache[key] = _build(project, module, ref, key)
    return cache[key]


def entry_path(ref):
    """The file cog's loader reads for a ref: ``FILE.py:NAME``'s file, or a bare ``FILE.py``'s
    (``PredictRef.unnamed_path``, which cog's Python loader accepts); None when it cannot be read."""
    if ref is None:
        return None
    return ref.path or getattr(ref, "unnamed_path", None)


def cog_entries(project) -> list[CogEntry]:
    """The entries cog loads: the serving one (``run:``/``predict:``) and ``train:``, each that
    exists once (both keys may name the same class)."""
    out, seen = [], set()
    for key in (entry_key(project), "train"):
        e = cog_entry(project, key) if key else None
        if e is not None and id(e.node) not in seen:
            seen.add(id(e.node))
            out.append(e)
    return out


def entry_modules(project) -> list:
    """Every module cog loads for the model: the ``run:``/``predict:`` and ``train:`` entry
    modules and the local modules they import, transitively, each once, in discovery order."""
    out, seen = [], set()
    for key in (entry_key(project), "train"):
        if key is None:
            continue
        path = entry_path(project.ref(key))
        if path is None:
            continue
        for m in project.modules_from(project.module(path)):
            if m.source.path not in seen:
                seen.add(m.source.path)
                out.append(m)
    return out


def entry_module_paths(project) -> set:
    """The files named by ``run:``/``predict:``/``train:`` (the modules cog loads by path)."""
    out = set()
    for key in COG_KEYS:
        path = entry_path(project.ref(key))
        if path is not None:
            out.add(path)
    return out


def _top_level(module) -> dict:
    import libcst as cst

    found = {}
    for stmt in module.tree.body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            found[stmt.name.value] = stmt
    return found


def _mro(classdef, defs: dict, types) -> tuple[list, bool]:
    """Local classes in (simplified, depth-first left-to-right) MRO order, stopping at cog's
    framework bases; and whether every base could be followed."""
    import libcst as cst

    out, known, seen = [], True, set()

    def walk(c, depth):
        nonlocal known
        if id(c) in seen or depth > 20:
            return
        seen.add(id(c))
        out.append(c)
        for arg in c.bases:
            qs = _qnames(types, arg.value)
            name = T.dotted_name(arg.value)
            if qs & FRAMEWORK_BASES or name in ("BaseRunner", "BasePredictor", "object"):
                return  # cog stops at its own bases: later mixins are not consulted
            local = defs.get(name) if name else None
            if isinstance(local, cst.ClassDef):
                walk(local, depth + 1)
            else:
                known = False

    walk(classdef, 0)
    return out, known


def _qnames(types, expr) -> set:
    try:
        return types.qualified_names(expr)
    except Exception:  # odd syntax (a call, a subscript) has no qualified name
        return set()


def _find(mro: list, name: str):
    for c in mro:
        m = class_methods(c).get(name)
        if m is not None:
            return m
    return None


def _valid_runner_class(classdef, defs, types) -> bool | None:
    """Whether cog's ``_validate_runner_class`` passes: exactly one of run()/predict() via the
    MRO. None when an imported base could define them."""
    mro, known = _mro(classdef, defs, types)
    found = sum(_find(mro, m) is not None for m in ("run", "predict"))
    if found == 1:
        return True
    return False if known or found == 2 else None


def _default_entry(defs: dict, types):
    """What ``load_predictor_from_ref`` picks for a ref without ``:NAME`` (python/cog/predictor.py):
    ``Runner`` when it is a class that validates or a function, else ``Predictor``, else ``Runner``
    (whose validation error cog raises). (None, None) when the module defines neither."""
    import libcst as cst

    runner, predictor = defs.get("Runner"), defs.get("Predictor")
    if runner is not None:
        if not isinstance(runner, cst.ClassDef) or _valid_runner_class(runner, defs, types) is not False:
            return runner, "Runner"
    if predictor is not None:
        return predictor, "Predictor"
    if runner is not None:
        return runner, "Runner"
    return None, None


def _is_concurrent(types, deco) -> bool:
    expr = deco.decorator
    import libcst as cst

    if isinstance(expr, cst.Call):
        expr = expr.func
    qs = _qnames(types, expr)
    return bool(qs & {"cog.concurrent", "coglet.api.concurrent"}) or T.dotted_name(expr) in ("concurrent", "cog.concurrent")


def _build(project, module, ref, key) -> CogEntry | None:
    import libcst as cst

    types = T.resolver_for(project, module)
    defs = _top_level(module)
    name = ref.name
    node = defs.get(name) if name else None
    by_default = name is None
    if by_default:  # cog's Python loader also accepts a ref without :NAME
        node, name = _default_entry(defs, types)
    e = CogEntry(project, module, types, node, None, key=key, ref=ref, class_name=name or "",
                 by_default=by_default)
    if node is None:
        return e
    if isinstance(node, cst.ClassDef):
        e.mro, e.bases_known = _mro(node, defs, types)
        for m in ("run", "predict"):
            f = _find(e.mro, m)
            if f is not None:
                e.run_methods[m] = f
        e.function = e.run_methods.get("run") or e.run_methods.get("predict")
        e.setup = _find(e.mro, "setup")
        e.train_method = _find(e.mro, "train")
        if key == "train" and e.function is None:
            e.function = e.train_method
        if e.function is not None:
            _read_params(e, e.function, is_method=True)
        if e.setup is not None:
            tmp = Entry(project, module, types, node, e.setup)
            _read_params(tmp, e.setup, is_method=True)
            e.setup_params = tmp.params
    else:
        e.function = node
        _read_params(e, node, is_method=False)
    if e.function is not None:
        for d in e.function.decorators:
            if _is_concurrent(types, d):
                e.concurrent = d
    return e
