"""PL901 unused-suppression: A `# pipelint: ignore[...]` comment that suppresses nothing."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position, Severity
from pipelint.engine.rule import Case, Rule


class UnusedSuppression(Rule):
    """A `# pipelint: ignore[...]` comment that suppresses nothing.

    ## What it does
    Reports a suppression comment (`# pipelint: ignore[...]` or `# pipelint: file-ignore[...]`,
    in main.py, cog.yaml or requirements.txt) that names a code nothing was reported for
    where the comment applies, a code that does not exist, or the same code twice; and a comment that looks like a suppression but is not one
    (`# pipelint: ignore` without codes, `# pipelint: ignores[PL501]`).

    ## Why is this bad?
    A suppression that outlived its problem hides the next real problem on that line. A
    misspelt code or a malformed comment suppresses nothing while looking as if it did.

    ## Example
    ```python
    from replicate import use

    flux = use("black-forest-labs/flux-dev")  # pipelint: ignore[PL501]
    ```

    ## Use instead
    ```python
    from replicate import use

    flux = use("black-forest-labs/flux-dev")
    ```

    ## Fix safety
    The fix removes the dead codes from the comment, or the whole comment when none is left;
    it is safe because those codes suppress nothing. A code of a rule that did not run — disabled
    in this run (`--ignore`, a narrower `--select`) or not judging this kind of model folder — is
    never called unused and never removed: nothing was checked that could tell. (ruff's RUF100
    reports such codes as "non-enabled"; here a `--fix` run with a narrow selection must not
    delete the comments the full selection needs.) A malformed comment has no fix: write the
    codes it was meant to suppress, `# pipelint: ignore[PL501]`.
    """

    code = "PL901"
    targets = ("pipeline", "cog")
    name = "unused-suppression"
    severity = Severity.WARNING
    files = ("cog.yaml", "requirements.txt", "python")
    fix_availability = "sometimes"

    def check(self) -> None:
        # The reporting happens after every rule ran (pipelint.engine.suppression.suppress), over the
        # files the run read: make sure those include every file a comment may be in.
        p = self.project
        p.cog_file, p.requirements_file, p.modules  # noqa: B018 - read for their side effect

    def after_suppression(self, applied, enabled: set[str], known: set[str]) -> None:
        """Report the directives of ``applied`` (see pipelint.engine.suppression) that do nothing."""
        from pipelint.engine.suppression import line_span

        for d in applied.directives:
            start, end = line_span(d)
            if d.malformed:
                self.report_at(d.path, start, end, f"{d.malformed}; it suppresses nothing",
                               help="write the codes to suppress: `# pipelint: ignore[PL501]`")
                continue
            if d.path in applied.incomplete:
                continue  # the file did not parse: its rules may not have run
            dead, reasons = self._dead_codes(d, enabled, known)
            if not dead and d.codes:
                continue
            parts = [f"{why}: {', '.join(shown)}" for why, shown in reasons.items() if shown]
            what = "; ".join(parts) if parts else "it names no codes"
            keep = [c.code for i, c in enumerate(d.codes) if i not in dead]
            if keep:
                fix = self.fix(f"Remove {', '.join(d.codes[i].code for i in sorted(dead))} from the comment",
                               Edit(d.path, Position(d.line, d.codes_span[0] + 1),
                                    Position(d.line, d.codes_span[1] + 1), ", ".join(keep)))
                help_ = "remove the codes that suppress nothing"
            else:
                fix = self.fix("Remove the suppression comment", _delete_directive(d))
                help_ = "remove the comment"
            self.report_at(d.path, start, end, f"unused suppression comment ({what})", help=help_, fix=fix)

    @staticmethod
    def _dead_codes(d, enabled: set[str], known: set[str]) -> tuple[set[int], dict[str, list[str]]]:
        """Indexes of the codes of ``d`` that suppress nothing, and why (as `code` texts)."""
        reasons: dict[str, list[str]] = {"unused": [], "unknown": [], "duplicated": []}
        dead: set[int] = set()
        seen: set[str] = set()
        for i, c in enumerate(d.codes):
            why = None
            if c.code in seen:
                why = "duplicated"
            elif c.code not in known:
                why = "unknown"
            elif c.code == UnusedSuppression.code:
                pass  # whether a PL901 suppression is needed is not judged: never report it
            elif c.code not in enabled:
                pass  # its rule did not run (disabled, or not for this kind of model): nothing to judge
            elif c.code not in d.used:
                why = "unused"
            seen.add(c.code)
            if why is None:
                continue
            shown = f"`{c.code}`"
            if why == "unknown":
                import difflib  # (and heapq): only for a name that is misspelt
                close = difflib.get_close_matches(c.code, sorted(known), n=1)
                shown += f" (did you mean `{close[0]}`?)" if close else ""
            reasons[why].append(shown)
            dead.add(i)
        return dead, reasons

    VALID = [
        Case({"cog.yaml": 'build:\n  gpu: false  # pipelint: ignore[PL106]\npredict: "main.py:run"\n'},
             note="PL106 did not run (the example runs PL901 alone): the comment is not judged"),
        Case({"requirements.txt": "# pipelint: file-ignore[PL204]\nreplicate>=1.1.0b1,<2.0.0a1\n"}),
        Case("s = '# pipelint: ignore[PL999]'\n\n\ndef run(prompt: str) -> str:\n    return s\n",
             note="a `#` inside a string is not a comment"),
        Case("# pipelint: a note that is not a directive\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case({"cog.yaml": 'predict: "main.py:run"\nimage: "r8.im/x/y#pipelint: ignore[PL114]"\n'},
             note="inside a YAML scalar"),
    ]
    INVALID = [
        Case("def run(prompt: str) -> str:  # pipelint: ignore[PL999]\n    return prompt\n",
             expect=[(1, 31, 1, 56, "unused suppression comment (unknown: `PL999` (did you mean `PL901`?))")],
             fixed="def run(prompt: str) -> str:\n    return prompt\n"),
        Case("# pipelint: ignore[PL5O1]\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 1, 1, 26, "unused suppression comment (unknown: `PL5O1` (did you mean `PL501`?))")],
             fixed="def run(prompt: str) -> str:\n    return prompt\n"),
        Case("def run(prompt: str) -> str:\n    return prompt  # pipelint: ignore[PL999, PL999]  # why\n",
             expect=[(2, 20, 2, 52, "unused suppression comment (unknown: `PL999` (did you mean `PL901`?); "
                                    "duplicated: `PL999`)")],
             fixed="def run(prompt: str) -> str:\n    return prompt  # why\n"),
        Case("def run(prompt: str) -> str:\n    return prompt  # pipelint: ignore[PL999] keep this\n",
             expect=[(2, 20, 2, 45, "unused suppression comment (unknown: `PL999` (did you mean `PL901`?))")],
             fixed="def run(prompt: str) -> str:\n    return prompt  # keep this\n"),
        Case("def run(prompt: str) -> str:  # pipelint: ignore\n    return prompt\n",
             expect=[(1, 31, 1, 49, "`pipelint: ignore` needs the codes it suppresses in brackets: `pipelint: "
                                    "ignore[CODE]`; it suppresses nothing")],
             note="no codes: a malformed comment, reported without a fix"),
    ]


def _delete_directive(d) -> Edit:
    """Remove the directive from its line: the whole line when it was alone on it."""
    line = d.line_text
    before, after = line[: d.start], line[d.end :]
    if not after.strip():
        if not before.strip():
            return Edit(d.path, Position(d.line, 1), Position(d.line + 1, 1), "")
        return Edit(d.path, Position(d.line, len(before.rstrip()) + 1), Position(d.line, len(line) + 1), "")
    gap = len(after) - len(after.lstrip())
    if after.lstrip().startswith("#"):
        # Another comment follows (`# pipelint: ignore[X]  # why`): it takes the directive's place.
        return Edit(d.path, Position(d.line, d.start + 1), Position(d.line, d.end + gap + 1), "")
    return Edit(d.path, Position(d.line, d.start + 1), Position(d.line, d.end + gap + 1), "# ")
