"""Synthetic model folders for the benchmarks: a 2,000-line main.py and a monorepo of models.

The code is what real pipeline models look like (module-level ``replicate.use``, cog ``Input``s,
a pydantic ``BaseModel`` output, helpers, f-strings, comprehensions), written to be clean so
the numbers measure linting, not printing thousands of diagnostics.
"""

from __future__ import annotations

from pathlib import Path

COG_YAML = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
REQUIREMENTS = "replicate>=1.1.0b1,<2.0.0a1\n"

HEADER = '''"""{title}"""

from typing import Optional

import replicate
from cog import BaseModel, Input, Path

flux = replicate.use("black-forest-labs/flux-schnell")
llm = replicate.use("openai/gpt-4.1-nano")
upscaler = replicate.use("nightmareai/real-esrgan")


class Output(BaseModel):
    image: Path
    caption: str
    score: float

'''

HELPER = '''
def step_{n}(prompt: str, strength: float = 0.{d}, tags: Optional[list] = None) -> dict:
    """Stage {n}: refine the prompt, render it and collect what the next stage needs."""
    words = [w.strip() for w in prompt.split(",") if w.strip()]
    if tags:
        words += [str(t) for t in tags if t not in words]
    settings = {{
        "prompt": ", ".join(words),
        "strength": min(1.0, strength * {d}),
        "seed": {n} * 7919 % 65536,
        "steps": 4 + {n} % 8,
    }}
    try:
        images = flux(**settings)
    except Exception as exc:
        raise RuntimeError(f"stage {n} failed: {{exc}}") from exc
    scored = sorted(((len(str(i)), i) for i in images), reverse=True)
    best = scored[0][1] if scored else None
    summary = {{"stage": {n}, "count": len(images), "best": best}}
    for key, value in settings.items():
        if isinstance(value, float) and value > 0.9:
            summary[f"warn_{{key}}"] = value
    while len(words) > 12:
        words.pop()
    return summary

'''

RUN = '''
def run(
    prompt: str = Input(description="What to draw"),
    style: str = Input(default="photo", choices=["photo", "sketch", "oil"]),
    seed: Optional[int] = Input(default=None, description="Random seed"),
) -> Output:
    stages = [{calls}]
    images = flux(prompt=f"{{prompt}}, {{style}}", seed=seed)
    caption = llm(prompt="Describe this image in one sentence.", image=images[0])
    return Output(image=Path(images[0]), caption=str(caption), score=float(len(stages)))
'''


def main_py(lines: int, title: str = "A generated pipeline model.") -> str:
    """A main.py of about ``lines`` lines."""
    helpers, n = [], 0
    size = len(HEADER.splitlines()) + len(RUN.splitlines()) + 2
    per = len(HELPER.splitlines())
    while size + per <= lines + per // 2:  # the nearest size, not the one below
        helpers.append(HELPER.format(n=n, d=n % 9 + 1))
        size += per
        n += 1
    calls = ", ".join(f"step_{i}(prompt)" for i in range(min(n, 3)))
    return HEADER.format(title=title) + "".join(helpers) + RUN.format(calls=calls)


def write_model(folder: Path, main: str, extra: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cog.yaml").write_text(COG_YAML, encoding="utf-8")
    (folder / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    (folder / "main.py").write_text(main, encoding="utf-8")
    for rel, text in (extra or {}).items():
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def big_model(folder: Path, lines: int = 2000) -> Path:
    return write_model(folder, main_py(lines, "A 2,000-line pipeline model."))


def monorepo(top: Path, count: int = 500) -> Path:
    """``count`` model folders whose main.py has 27 to 108 lines (~65 on average, about the
    size of a typical pipeline main.py); every fifth also has a local helpers module."""
    for i in range(count):
        extra = None
        main = main_py(27 + (i % 4) * 27, f"Generated model {i}.")
        if i % 5 == 0:
            extra = {"helpers.py": f'"""Shared helpers of model {i}."""\n\n\ndef clean(text: str) -> str:\n'
                                   '    return " ".join(text.split())\n'}
            main = main.replace("import replicate\n", "import replicate\nfrom helpers import clean\n", 1)
        write_model(top / f"team-{i // 50:02d}" / f"model-{i:03d}", main, extra)
    return top


if __name__ == "__main__":
    import sys

    print(main_py(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
