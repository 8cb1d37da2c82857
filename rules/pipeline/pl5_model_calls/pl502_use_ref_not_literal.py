"""PL502 use-ref-not-literal: The model reference passed to `use()` is not a string literal."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class UseRefNotLiteral(ModelRule):
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
                                    f"analysis fails the build {_unresolvable(module, use)}", module=module,
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
                self.report(ref, f"the model reference is {kind}, not a string literal: cog's dependency analysis "
                                 f"fails the build {_unresolvable(module, use)}", module=module, help=help)

    VALID = [Case(HEADER + FLUX + "llm = replicate.use('openai/' 'gpt-4.1-nano')\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case(HEADER + "class FluxDev:\n    name = 'black-forest-labs/flux-dev'\n\n    def __call__(self, *, prompt: str) -> str: ...\n\n"
             "flux_dev = replicate.use(FluxDev())\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(8, 26, 8, 35, "the model reference is the object `FluxDev()`, not a string literal: cog's "
                                    "dependency analysis fails the build (`Unresolvable argument at line 8: Not a "
                                    "string literal`)")]),
        Case(HEADER + "OWNER = 'black-forest-labs'\nflux = replicate.use(f'{OWNER}/flux-dev')\nref = 'a/b'\nllm = replicate.use(ref)\n"
             "x = replicate.use(ref='a/b')\nrefs = ['c/d']\ny = replicate.use(*refs)\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(4, 22, 4, 41, "the model reference is an f-string, not a string literal: cog's dependency "
                                    "analysis fails the build (`Unresolvable argument at line 4: Not a string "
                                    "literal`)"),
                     (6, 21, 6, 24, "the model reference is the variable `ref`, not a string literal: cog's "
                                    "dependency analysis fails the build (`Unresolvable argument at line 6: Not a "
                                    "string literal`)"),
                     (7, 19, 7, 28, "the model reference is passed as `ref=`: cog records only a string literal "
                                    "first argument, so the model is not declared as a dependency"),
                     (9, 19, 9, 24, "the model reference is unpacked from `*refs`, not a string literal: cog's "
                                    "dependency analysis fails the build (`Unresolvable argument at line 9: Not a "
                                    "string literal`)")],
             note="the message of `*refs` names its own line (9), not that of an earlier report"),
        Case(HEADER + "refs = ['a/b']\nm = replicate.use(*refs)\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(4, 19, 4, 24, "the model reference is unpacked from `*refs`, not a string literal: cog's "
                                    "dependency analysis fails the build (`Unresolvable argument at line 4: Not a "
                                    "string literal`)")],
             note="the first use() of the module unpacks its reference: no internal error"),
        Case("from replicate import use\nmodels = [use(r) for r in ('a/b', 'c/d')]\nm = use(b'a/b')\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 15, 2, 16, "the model reference is the variable `r`, not a string literal: cog's "
                                    "dependency analysis fails the build (`Unresolvable argument at line 2: Not a "
                                    "string literal`)"),
                     (3, 9, 3, 15, "the model reference is a bytes literal, not a string literal: cog's "
                                   "dependency analysis fails the build (`Unresolvable argument at line 3: Not a "
                                   "string literal`)")]),
    ]


def _unresolvable(module, use) -> str:
    """cog's words for this call. Positions are computed only when there is something to report:
    they cost ~20 ms a module, more than the rest of this rule on a clean model."""
    line = module.range(use.node)[0].line
    return f"(`Unresolvable argument at line {line}: Not a string literal`)"


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
