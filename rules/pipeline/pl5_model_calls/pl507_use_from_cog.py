"""PL507 use-from-cog: `use` imported from `cog`."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule


class UseFromCog(ModelRule):
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
        Case("from cog import use\n\nm = use('a/b')\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 17, 1, 20, "`use` is not part of `cog`")],
             fixed="from replicate import use\n\nm = use('a/b')\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case("from cog import Input, use as u, Path\n\nm = u('a/b')\n\ndef run(prompt: str = Input()) -> Path:\n    return Path(prompt)\n",
             expect=[(1, 24, 1, 32, "`use` is not part of `cog`")],
             fixed="from cog import Input, Path\nfrom replicate import use as u\n\nm = u('a/b')\n\n"
                   "def run(prompt: str = Input()) -> Path:\n    return Path(prompt)\n"),
        Case("import cog\n\nm = cog.use('a/b')\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 5, 3, 12, "`cog.use` does not exist in the runtime")]),
    ]
