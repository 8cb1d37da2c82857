"""PL501–PL509: calling other models with `replicate.use()`.

All of them read the same facts (``pipelint.analysis.calls``): the ``use()`` calls of each module, the
names bound to their results and the calls made through those names.
"""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Edit, Position, Severity
from pipelint.engine.rule import Case, Rule

# replicate's own parser (identifier.ModelVersionIdentifier.parse), minus whitespace, which no
# model name or version contains.
_MODEL_REF = re.compile(r"^[^/\s]+/[^/:\s]+(:\S+)?$")
_SCOPE_WORDS = {"function": "function", "class": "class body", "lambda": "lambda"}

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class _ModelRule(Rule):
    files = ("python",)
    metadata = ("qualified_name", "scope")

    def each_module(self):
        from pipelint.analysis import calls as models

        for module in self.project.modules:
            if module.tree is not None:
                yield module, models.facts(module)


def _model_label(use) -> str:
    if use.ref is not None:
        return f"`{use.ref}`"
    if use.target is not None:
        return f"`{use.target.value}`"
    return "the model"


class UseOutsideModuleScope(_ModelRule):
    """`replicate.use()` inside a function, method, lambda or class body.

    ## What it does
    Reports a `use()` call (any spelling: `replicate.use`, `r.use`, `use`, `u`) that is not at
    module scope. Module-level `if`/`for`/`while`/`try`/`with` blocks are module scope; a
    function's decorators and default values are not (cog's analysis counts them as inside).

    ## Why is this bad?
    When the model is built, cog records the models a pipeline calls by reading the module-level
    `use()` calls, and fails on any other:
    `Invalid scope at line 5: replicate.use(...) must be in global scope`.

    ## Example
    ```python
    import replicate

    def run(prompt: str) -> str:
        llm = replicate.use("openai/gpt-4.1-nano")
        return llm(prompt=prompt)
    ```

    ## Use instead
    ```python
    import replicate

    llm = replicate.use("openai/gpt-4.1-nano")

    def run(prompt: str) -> str:
        return llm(prompt=prompt)
    ```

    ## Fix safety
    The fix moves `NAME = use("owner/name", …)` to module scope, after the imports. It is
    offered only when all the call's arguments are literals, NAME is bound nowhere else in the
    function nor at module level, what the call names is imported at module level, and the
    function keeps other statements; then it does not change what the code does.
    """

    code = "PL501"
    name = "use-outside-module-scope"
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.analysis.calls import hoist_edits

        for module, facts in self.each_module():
            for use in facts.uses:
                if use.scope is None:
                    continue
                line = module.range(use.node)[0].line
                edits = hoist_edits(module, use)
                fix = self.fix(f"Move `{use.target.value} = {use.spelling}(…)` to module scope", *edits) if edits else None
                model = use.target.value if use.target is not None else "model"
                call = module.code_for(use.node)
                call = call if len(call) <= 80 and "\n" not in call else f'{use.spelling}("owner/name")'
                where = f"{_SCOPE_WORDS[use.scope]} `{use.scope_name}`" if use.scope_name else f"a {_SCOPE_WORDS[use.scope]}"
                self.report(use.node,
                            f"`{use.spelling}(...)` is called inside {where}: cog's "
                            f"dependency analysis fails the build (`Invalid scope at line {line}: "
                            f"replicate.use(...) must be in global scope`)",
                            module=module, fix=fix,
                            help=f"assign it once at module level (`{model} = {call}`) and call `{model}` from the function")

    VALID = [
        Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n"),
        Case("import os\nimport replicate as r\nif os.name == 'posix':\n    flux = r.use('a/b')\nelse:\n    flux = r.use('a/c')\n"
             "try:\n    llm = r.use('o/llm')\nexcept Exception:\n    llm = None\nfor ref in ['x/y']:\n    pass\n"
             "models = [r.use(x) for x in ('a/b',)]\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case("from replicate import use as u\nflux = u('a/b', use_async=True)\n\nasync def run(prompt: str) -> str:\n"
             "    return str(await flux(prompt=prompt))\n"),
        Case("import replicate\n\ndef run(prompt: str) -> str:\n    replicate.run('a/b', input={})\n    return prompt\n"),
    ]
    INVALID = [
        Case(HEADER + "\ndef run(prompt: str) -> str:\n    llm = replicate.use('openai/gpt-4.1-nano')\n    return str(llm(prompt=prompt))\n",
             expect=[(5, 11)],
             fixed=HEADER + "llm = replicate.use('openai/gpt-4.1-nano')\n\n\ndef run(prompt: str) -> str:\n    return str(llm(prompt=prompt))\n"),
        Case("import asyncio\nimport replicate\n\nasync def run() -> str:\n"
             "    flux_dev = replicate.use(\"black-forest-labs/flux-dev\", use_async=True)\n"
             "    outputs = await flux_dev(prompt=\"a cat\")\n    return str(outputs)\n",
             expect=[(5, 16)],
             fixed="import asyncio\nimport replicate\n\nflux_dev = replicate.use(\"black-forest-labs/flux-dev\", use_async=True)\n\n"
                   "async def run() -> str:\n    outputs = await flux_dev(prompt=\"a cat\")\n    return str(outputs)\n"),
        Case("from replicate import use as u\nflux = u('a/b')\n\nclass Helper:\n    model = u('c/d')\n\n"
             "    def go(self, m=u('e/f')):\n        return (lambda: u('g/h'))\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(5, 13), (7, 20), (8, 25)]),
        Case("import replicate\n\ndef run(prompt: str) -> str:\n    flux = replicate.use('a/b')\n    return prompt\n\nflux = 1\n",
             expect=[(4, 12)], note="the name is taken at module level: no fix"),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return helpers.go(prompt)\n",
              "helpers.py": "def go(prompt):\n    import replicate\n    m = replicate.use('a/b')\n    return m(prompt=prompt)\n"},
             expect=[("helpers.py", 3, 9)]),
    ]


class UseRefNotLiteral(_ModelRule):
    """The model reference passed to `use()` is not a string literal.

    ## What it does
    Reports a `use()` whose first argument is not a plain string literal: an f-string, a
    variable, an expression, the guide's typed-class pattern `use(FluxDev())`, or a reference
    passed as `ref=` or not at all.

    ## Why is this bad?
    cog records the models a pipeline calls by reading the literal first argument of each
    `use()`, and fails the build on anything else:
    `Unresolvable argument at line 8: Not a string literal`. A `ref=` keyword is silently not
    recorded.

    ## Example
    ```python
    class FluxDev:
        name = "black-forest-labs/flux-dev"

        def __call__(self, *, prompt: str) -> str: ...

    flux_dev = replicate.use(FluxDev())
    ```

    ## Use instead
    ```python
    flux_dev = replicate.use("black-forest-labs/flux-dev", hint=FluxDev())
    ```
    """

    code = "PL502"
    name = "use-ref-not-literal"

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.calls import literal_string

        for module, facts in self.each_module():
            for use in facts.uses:
                if use.function != "replicate.use" and use.function != "cog.use":
                    continue
                ref = use.ref_node
                if ref is None:
                    if use.positional and use.positional[0].star:
                        self.report(use.positional[0], f"the model reference is unpacked from "
                                    f"`{module.code_for(use.positional[0])}`, not a string literal: cog's dependency "
                                    f"analysis fails the build {unresolvable}", module=module,
                                    help='write the model reference as a string literal: `use("owner/name")`')
                    elif "ref" in use.options:
                        self.report(use.options["ref"], "the model reference is passed as `ref=`: cog records only a "
                                    "string literal first argument, so the model is not declared as a dependency",
                                    module=module, help='pass it first, as a literal: `use("owner/name")`')
                    elif not use.positional:
                        self.report(use.node, f"`{use.spelling}()` without a model reference",
                                    module=module, help='pass the model as a string literal: `use("owner/name")`')
                    continue
                if literal_string(ref) is not None:
                    continue
                kind, help = "an expression", 'write the model reference as a string literal: `use("owner/name")`'
                if isinstance(ref, cst.FormattedString):
                    kind = "an f-string"
                elif isinstance(ref, cst.Name):
                    kind = f"the variable `{ref.value}`"
                elif isinstance(ref, (cst.SimpleString, cst.ConcatenatedString)):
                    kind = "a bytes literal"
                elif isinstance(ref, cst.Call):
                    kind = f"the object `{module.code_for(ref)}`"
                    typed = _typed_class_ref(module, ref)
                    if typed:
                        help = (f'write the reference itself and keep the class for typing: '
                                f'`{use.spelling}("{typed}", hint={module.code_for(ref)})`')
                # Positions only now that there is something to report: computing them costs
                # ~20 ms a module, more than the rest of this rule on a clean model.
                line = module.range(use.node)[0].line
                unresolvable = f"(`Unresolvable argument at line {line}: Not a string literal`)"
                self.report(ref, f"the model reference is {kind}, not a string literal: cog's dependency analysis "
                                 f"fails the build {unresolvable}", module=module, help=help)

    VALID = [Case(HEADER + FLUX + "llm = replicate.use('openai/' 'gpt-4.1-nano')\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case(HEADER + "class FluxDev:\n    name = 'black-forest-labs/flux-dev'\n\n    def __call__(self, *, prompt: str) -> str: ...\n\n"
             "flux_dev = replicate.use(FluxDev())\n\ndef run(prompt: str) -> str:\n    return prompt\n", expect=[(8, 26)]),
        Case(HEADER + "OWNER = 'black-forest-labs'\nflux = replicate.use(f'{OWNER}/flux-dev')\nref = 'a/b'\nllm = replicate.use(ref)\n"
             "x = replicate.use(ref='a/b')\nrefs = ['c/d']\ny = replicate.use(*refs)\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(4, 22), (6, 21), (7, 19), (9, 19)]),
        Case("from replicate import use\nmodels = [use(r) for r in ('a/b', 'c/d')]\nm = use(b'a/b')\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n", expect=[(2, 15), (3, 9)]),
    ]


def _typed_class_ref(module, call) -> str | None:
    """The literal ``name = "owner/model"`` of the class instantiated by ``call`` (the guide's pattern)."""
    import libcst as cst

    from pipelint.analysis.calls import literal_string

    if not isinstance(call.func, cst.Name):
        return None
    for stmt in module.tree.body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value == call.func.value and isinstance(stmt.body, cst.IndentedBlock):
            for line in stmt.body.body:
                if isinstance(line, cst.SimpleStatementLine):
                    for small in line.body:
                        if isinstance(small, (cst.Assign, cst.AnnAssign)):
                            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                            if any(isinstance(t, cst.Name) and t.value == "name" for t in targets):
                                return literal_string(small.value)
    return None


class InvalidModelRef(_ModelRule):
    """The model reference is not `owner/name` or `owner/name:version`.

    ## What it does
    Reports a literal model reference that `replicate.use()` cannot parse: no owner, a URL, an
    `r8.im/` image name, extra slashes, whitespace or an empty version.

    ## Why is this bad?
    The call fails at run time, after the model was pushed:
    `Invalid reference to model version: flux-dev. Expected format: owner/name:version`.

    ## Example
    ```python
    flux = replicate.use("https://replicate.com/black-forest-labs/flux-dev")
    ```

    ## Use instead
    ```python
    flux = replicate.use("black-forest-labs/flux-dev")
    ```
    """

    code = "PL503"
    name = "invalid-model-ref"

    def check(self) -> None:
        for module, facts in self.each_module():
            for use in facts.uses:
                ref = use.ref
                if ref is None or _MODEL_REF.match(ref):
                    continue
                self.report(use.ref_node, f"`{ref}` is not a model reference of the form `owner/name` or "
                                          f"`owner/name:version` (`Invalid reference to model version: {ref}. "
                                          f"Expected format: owner/name:version`)",
                            module=module, help=_ref_help(ref))

    VALID = [Case(HEADER + FLUX + "a = replicate.use('owner/model:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa')\n"
                  "b = replicate.use('my-name/my_model.v2')\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case(HEADER + "a = replicate.use('flux-dev')\nb = replicate.use('https://replicate.com/black-forest-labs/flux-dev')\n"
             "c = replicate.use('r8.im/owner/model')\nd = replicate.use('owner/model:')\ne = replicate.use(' owner/model')\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 19), (4, 19), (5, 19), (6, 19), (7, 19)]),
    ]


def _ref_help(ref: str) -> str:
    text = ref.strip()
    match = re.search(r"(?:replicate\.com|r8\.im)/([^/\s]+)/([^/\s:?#]+)(?:/versions/([0-9a-f]+))?", text)
    if match:
        suggestion = f"{match[1]}/{match[2]}" + (f":{match[3]}" if match[3] else "")
        return f'write `"{suggestion}"`'
    if text != ref and _MODEL_REF.match(text):
        return f'remove the surrounding whitespace: `"{text}"`'
    if "/" not in text:
        return f'add the owner: `"<owner>/{text}"` (as on the model\'s page, e.g. `black-forest-labs/flux-dev`)'
    if text.endswith(":"):
        return f'drop the empty version: `"{text[:-1]}"`'
    return 'write `"owner/name"` or `"owner/name:version"`'


class InvalidUseOptions(_ModelRule):
    """`use()` options other than `hint`, `streaming` and `use_async`.

    ## What it does
    Reports an unknown keyword passed to `use()` (`stream=True`, `timeout=60`), a literal
    `streaming`/`use_async` value that is not `True` or `False`, and more than one positional
    argument.

    ## Why is this bad?
    `use(ref, *, hint=None, streaming=False, use_async=False)` takes nothing else: the model
    fails to load with `TypeError: use() got an unexpected keyword argument 'stream'`. A
    non-bool flag silently picks a mode by truthiness.

    ## Example
    ```python
    llm = replicate.use("openai/gpt-4.1-nano", stream=True)
    ```

    ## Use instead
    ```python
    llm = replicate.use("openai/gpt-4.1-nano", streaming=True)
    ```
    """

    code = "PL504"
    name = "invalid-use-options"

    def check(self) -> None:
        import difflib

        from pipelint.analysis.calls import USE_OPTIONS, is_literal, literal_value

        for module, facts in self.each_module():
            for use in facts.uses:
                for extra in use.positional[1:]:
                    self.report(extra, f"`{use.spelling}()` takes the model reference as its only positional argument "
                                       f"(`TypeError: use() takes 1 positional argument but {len(use.positional)} were given`)",
                                module=module, help="pass options by keyword: `hint=`, `streaming=`, `use_async=`")
                for keyword, arg in use.options.items():
                    if keyword == "ref":
                        continue
                    if keyword not in USE_OPTIONS:
                        close = difflib.get_close_matches(keyword, USE_OPTIONS, n=1, cutoff=0.5)
                        self.report(arg, f"`{keyword}=` is not an option of `use()`, which accepts only `hint`, `streaming` "
                                         f"and `use_async` (`TypeError: use() got an unexpected keyword argument '{keyword}'`)",
                                    module=module, help=f"did you mean `{close[0]}=`?" if close else "remove it")
                    elif keyword in ("streaming", "use_async") and is_literal(arg.value) \
                            and not isinstance(literal_value(arg.value), bool):
                        self.report(arg.value, f"`{keyword}=` takes True or False, not `{module.code_for(arg.value)}`",
                                    module=module, help=f"write `{keyword}=True` or leave it out")

    VALID = [Case(HEADER + "opts = {'streaming': True}\nm = replicate.use('o/m', **opts)\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
             Case(HEADER + "llm = replicate.use('o/m', streaming=True, use_async=False, hint=None)\nSTREAM = True\n"
                  "x = replicate.use('o/n', streaming=STREAM)\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case(HEADER + "llm = replicate.use('o/m', stream=True)\nx = replicate.use('o/m', 'o/n')\ny = replicate.use('o/m', streaming='yes')\n"
             "z = replicate.use('o/m', use_async=1, timeout=5)\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 28), (4, 26), (5, 36), (6, 36), (6, 39)]),
    ]


class PositionalModelInput(_ModelRule):
    """Positional arguments in a call to a model.

    ## What it does
    Reports `flux("a cat")` or `flux.create("a cat")` where `flux` is a model from
    `replicate.use()`.

    ## Why is this bad?
    A model's function takes inputs by keyword only; replicate silently drops positional
    arguments, so the model runs without them (or fails because a required input is missing).

    ## Example
    ```python
    images = flux("a cat wearing a hat")
    ```

    ## Use instead
    ```python
    images = flux(prompt="a cat wearing a hat")
    ```
    """

    code = "PL505"
    name = "positional-model-input"

    def check(self) -> None:
        for module, facts in self.each_module():
            for call in facts.calls:
                positional = call.positional
                if not positional:
                    continue
                sig = call.use.signature
                if sig is not None and len(positional) <= len(sig.in_order) and not any(a.star for a in positional):
                    names = ", ".join(f"{n}=…" for n in sig.in_order[: len(positional)])
                    help = f"pass inputs by keyword: `{module.code_for(call.node.func)}({names})`"
                else:
                    help = f"pass inputs by keyword, with the names of the model's inputs: `{module.code_for(call.node.func)}(prompt=…)`"
                self.report(positional[0], f"positional arguments to model {_model_label(call.use)} are silently dropped: "
                                           f"the model runs without them", module=module, help=help)

    VALID = [Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    kw = {'prompt': prompt}\n    flux(**kw)\n"
                  "    return str(flux(prompt=prompt))\n")]
    INVALID = [
        Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    run1 = flux.create(prompt)\n    return str(flux(prompt, seed=1))\n",
             expect=[(6, 24), (7, 21)]),
        Case("from replicate import use\n\ndef hint(*, prompt: str) -> str: ...\n\nm = use('a/b', hint=hint)\n\n"
             "def run(prompt: str) -> str:\n    return m(prompt)\n", expect=[(8, 14)]),
    ]


class ModelCallAtImport(_ModelRule):
    """A model called when the module is imported.

    ## What it does
    Reports a call to a model from `replicate.use()` (or `.create()`) that runs at import time:
    at module level, in a class body, or in a function's default values or decorators. Calls
    under `if __name__ == "__main__":` are fine.

    ## Why is this bad?
    The call runs, and bills, every time the model loads, before any prediction, and its
    result is the same for every prediction.

    ## Example
    ```python
    flux = replicate.use("black-forest-labs/flux-schnell")
    images = flux(prompt="a cat")
    ```

    ## Use instead
    ```python
    flux = replicate.use("black-forest-labs/flux-schnell")

    def run(prompt: str) -> Path:
        return flux(prompt=prompt)[0]
    ```
    """

    code = "PL506"
    name = "model-call-at-import"

    def check(self) -> None:
        for module, facts in self.each_module():
            for call in facts.calls:
                if not call.import_time:
                    continue
                self.report(call.node, f"model {_model_label(call.use)} is called when the module is imported: it runs, "
                                       f"and bills, every time the model loads", module=module,
                            help="call it inside the entry function")

    VALID = [Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n\n"
                  "if __name__ == '__main__':\n    print(flux(prompt='test'))\n")]
    INVALID = [
        Case(HEADER + FLUX + "images = flux(prompt='a cat')\nrun1 = flux.create(prompt='a dog')\n\n"
             "def run(prompt: str, n=flux(prompt='x')) -> str:\n    return prompt\n",
             expect=[(4, 10), (5, 8), (7, 24)]),
        Case(HEADER + "out = replicate.use('a/b')(prompt='x')\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 7)]),
    ]


class UseFromCog(_ModelRule):
    """`use` imported from `cog`.

    ## What it does
    Reports `from cog import use` and calls of `cog.use(...)`.

    ## Why is this bad?
    `use` belongs to the replicate client. The pipelines runtime's `cog` has no `use`
    (`ImportError: cannot import name 'use' from 'cog'`), and the cog SDK's `use` is a stub
    that raises.

    ## Example
    ```python
    from cog import Input, use
    ```

    ## Use instead
    ```python
    from cog import Input
    from replicate import use
    ```

    ## Fix safety
    The fix imports `use` (under the same local name) from `replicate` instead of `cog`: safe,
    since the `use` of `cog` only raises. It is offered for `from cog import use` when the
    import statement has a line of its own; `cog.use(...)` calls have no fix.
    """

    code = "PL507"
    name = "use-from-cog"
    fix_availability = "sometimes"

    def check(self) -> None:
        import libcst as cst

        for module, facts in self.each_module():
            for line, imp, alias in facts.cog_use_imports:
                fix = self._fix(module, line, imp, alias)
                self.report(alias, "`use` is not part of `cog`: the runtime fails to load the model "
                                   "(`cannot import name 'use' from 'cog'`)",
                            module=module, help="import it from the replicate client: `from replicate import use`", fix=fix)
            for use in facts.uses:
                if use.function == "cog.use" and isinstance(use.node.func, cst.Attribute):
                    self.report(use.node.func, "`cog.use` does not exist in the runtime: `use` is part of the replicate client",
                                module=module, help="`import replicate` and call `replicate.use(...)`")

    def _fix(self, module, line, imp, alias):
        from pipelint.edits.pyedit import remove_import_alias

        if line is None:
            return None
        spelt = module.code_for(alias).rstrip(", ").strip()
        if len(imp.names) == 1:
            return self.fix("Import `use` from `replicate`", self.edit_node(imp.module, "replicate", module))
        removal = remove_import_alias(module, line, imp, alias)
        if removal is None:
            return None
        after = module.range(line)[1].line + 1
        add = Edit(module.source.path, Position(after, 1), Position(after, 1), f"from replicate import {spelt}\n")
        return self.fix("Import `use` from `replicate`", removal, add)

    VALID = [Case("from cog import Input\nfrom replicate import use\n\ndef run(prompt: str = Input()) -> str:\n    return prompt\n")]
    INVALID = [
        Case("from cog import use\n\nm = use('a/b')\n\ndef run(prompt: str) -> str:\n    return prompt\n", expect=[(1, 17)],
             fixed="from replicate import use\n\nm = use('a/b')\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case("from cog import Input, use as u, Path\n\nm = u('a/b')\n\ndef run(prompt: str = Input()) -> Path:\n    return Path(prompt)\n",
             expect=[(1, 24)],
             fixed="from cog import Input, Path\nfrom replicate import use as u\n\nm = u('a/b')\n\n"
                   "def run(prompt: str = Input()) -> Path:\n    return Path(prompt)\n"),
        Case("import cog\n\nm = cog.use('a/b')\n\ndef run(prompt: str) -> str:\n    return prompt\n", expect=[(3, 5)]),
    ]


class OutputAttributeAccess(_ModelRule):
    """Attribute access on a model's output.

    ## What it does
    Reports `out.caption` where `out` is what a model call returned (directly, through
    `await`, or through `.create(...).output()`), when no possible output value has that
    attribute. It only reports what is certain: outputs are strings, numbers, lists, dicts,
    files (`URLPath`) or, for streaming models, iterators, and `caption` is none of their
    attributes.

    ## Why is this bad?
    A model's structured output comes back as a plain dict:
    `AttributeError: 'dict' object has no attribute 'caption'`.

    ## Example
    ```python
    out = captioner(image=image)
    return out.caption
    ```

    ## Use instead
    ```python
    out = captioner(image=image)
    return out["caption"]
    ```
    """

    code = "PL508"
    name = "output-attribute-access"
    severity = Severity.WARNING

    def check(self) -> None:
        for module, facts in self.each_module():
            for attribute, call in facts.output_attributes:
                value = module.code_for(attribute.value)
                name = attribute.attr.value
                self.report(attribute, f"`{value}.{name}`: the output of model {_model_label(call.use)} is a plain value, "
                                       f"and a structured output is a dict (`'dict' object has no attribute '{name}'`)",
                            module=module, help=f'read it as a key: `{value}["{name}"]`')

    VALID = [Case(HEADER + FLUX + "llm = replicate.use('o/llm', streaming=True)\n\ndef run(prompt: str) -> str:\n"
                  "    out = flux(prompt=prompt)\n    out.append(1)\n    text = llm(prompt=prompt)\n    text.is_concatenate\n"
                  "    r = flux.create(prompt=prompt)\n    r.logs()\n    out = 'x'\n    return out.upper()\n")]
    INVALID = [
        Case(HEADER + "cap = replicate.use('o/captioner')\n\ndef run(prompt: str) -> str:\n    out = cap(image=prompt)\n"
             "    r = cap.create(image=prompt)\n    o2 = r.output()\n    return out.caption + o2.text + cap(image=prompt).score\n",
             expect=[(9, 12), (9, 26), (9, 36)]),
        Case(HEADER + "cap = replicate.use('o/captioner', use_async=True)\n\nasync def run(prompt: str) -> str:\n"
             "    out = await cap(image=prompt)\n    return out.caption\n", expect=[(7, 12)]),
    ]


class ModelCallSignatureMismatch(_ModelRule):
    """A model call that does not match the model's `hint` signature.

    ## What it does
    When `use()` gets a signature, a `hint=` function or the guide's typed class
    (`use(FluxDev())` with a `__call__`), reports calls of the model (and of its `.create`)
    that leave out a required input or pass a keyword the signature does not have.

    ## Why is this bad?
    The signature is the model's interface as you wrote it down: a call that does not match
    it fails on Replicate with a missing input, or sends an input the model ignores.

    ## Example
    ```python
    def hint(*, prompt: str, seed: int | None = None) -> str: ...

    flux_dev = replicate.use("black-forest-labs/flux-dev", hint=hint)

    def run() -> str:
        return flux_dev(seed=1)
    ```

    ## Use instead
    ```python
    def run() -> str:
        return flux_dev(prompt="a cat", seed=1)
    ```
    """

    code = "PL509"
    name = "model-call-signature-mismatch"
    severity = Severity.WARNING

    def check(self) -> None:
        for module, facts in self.each_module():
            for call in facts.calls:
                sig = call.use.signature
                if sig is None or call.positional:
                    continue
                keywords = {a.keyword.value: a for a in call.node.args if a.keyword is not None}
                label = _model_label(call.use)
                if not sig.any_keyword:
                    for keyword, arg in keywords.items():
                        if keyword not in sig.accepted:
                            self.report(arg.keyword, f"`{keyword}` is not an input of model {label} according to its "
                                                     f"{sig.source}", module=module,
                                        help=f"its inputs are {_names(sorted(sig.accepted))}")
                if any(a.star == "**" for a in call.node.args):
                    continue
                missing = [n for n in sig.required if n not in keywords]
                if missing:
                    self.report(call.node, f"the call of model {label} leaves out the required input"
                                           f"{'s' if len(missing) > 1 else ''} {_names(missing)} of its {sig.source}",
                                module=module, help=f"pass {', '.join(f'{n}=…' for n in missing)}")

    VALID = [Case("from pathlib import Path\nimport replicate\n\n"
                  "def hint(*, prompt: str, image: Path | None = None, seed: int | None = None) -> str: ...\n\n"
                  "flux_dev = replicate.use('black-forest-labs/flux-dev', hint=hint)\n\n"
                  "def run(prompt: str) -> str:\n    extra = {}\n    flux_dev(**extra)\n    return flux_dev(prompt=prompt, seed=1)\n")]
    INVALID = [
        Case("from pathlib import Path\nimport replicate\n\n"
             "def hint(*, prompt: str, image: Path | None = None, seed: int | None = None) -> str: ...\n\n"
             "flux_dev = replicate.use('black-forest-labs/flux-dev', hint=hint)\n\n"
             "def run(prompt: str) -> str:\n    output1 = flux_dev()\n    return flux_dev.create(prompt=prompt, steps=4).output()\n",
             expect=[(9, 15), (10, 43)]),
        Case("import replicate\n\nclass FluxDev:\n    name = 'black-forest-labs/flux-dev'\n\n"
             "    def __call__(self, *, prompt: str, seed: int = 0) -> str: ...\n\nflux = replicate.use(FluxDev())\n\n"
             "def run(prompt: str) -> str:\n    return flux(promt=prompt)\n", expect=[(11, 17), (11, 12)]),
    ]


def _names(names) -> str:
    return ", ".join(f"`{n}`" for n in names)
