"""Synthetic model folders for the benchmarks (benchmarks/run.py).

* ``typical_pipeline``: a pipeline model of about 130 lines, the size and shape of a real one
  (module-level ``replicate.use``, cog ``Input``s with constraints, a ``BaseModel`` output,
  helpers, f-strings, comprehensions, try/except), with one finding seeded in its last function;
* ``typical_cog``: an ordinary cog model (``class Predictor(BasePredictor)``, ``setup()`` loading
  torch weights, ``gpu: true``), with one finding seeded at its end;
* ``big_model``: one main.py of any size (100 to 50,000 lines), with a finding seeded at its end;
* ``fixes_model``: a main.py of any size with a fixable finding on every seventh line (``--diff``);
* ``monorepo``: many model folders whose files all differ (names, sizes, literals), so that no
  cache or de-duplication can help.

The seeded finding is a hard-coded bearer token in the last function of the entry module: it is
reported only if the whole file was parsed and traversed, so the benchmark can assert that the
model was analysed whole (``Model.seeded_line``). Everything else is clean code, so the numbers
measure linting, not printing thousands of diagnostics.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
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


@dataclass
class Model:
    folder: Path
    entry: Path        # the module cog.yaml's predict names
    seeded_line: int   # the 1-based line of the seeded finding in ``entry`` (0: none seeded)
    lines: int         # lines of ``entry``


def _token(rng: random.Random, n: int = 24) -> str:
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(rng.choice(alphabet) for _ in range(n))


def _seed_tail(rng: random.Random, name: str = "notify") -> str:
    """The last function of a module: its bearer token is the seeded finding (PL602)."""
    return (f"\n\ndef {name}(url: str, payload: dict) -> int:\n"
            f'    """Tell the dashboard a prediction finished."""\n'
            f'    headers = {{"Authorization": "Bearer {_token(rng)}", "Content-Type": "application/json"}}\n'
            f"    return len(url) + len(payload) + len(headers)\n")


def _finish(folder: Path, entry_name: str, text: str, seeded: bool) -> Model:
    entry = folder / entry_name
    lines = text.splitlines()
    seeded_line = next((i for i in range(len(lines), 0, -1) if '"Bearer ' in lines[i - 1]), 0) if seeded else 0
    return Model(folder, entry, seeded_line, len(lines))


PIPELINE_MODELS = [
    "black-forest-labs/flux-schnell", "black-forest-labs/flux-dev", "openai/gpt-4.1-nano",
    "nightmareai/real-esrgan", "meta/meta-llama-3-8b-instruct", "stability-ai/sdxl",
    "openai/whisper", "lucataco/remove-bg", "bytedance/sdxl-lightning-4step", "google/imagen-4",
]

TYPICAL_HEAD = '''"""{title}

Render an image from a prompt, upscale it, caption it and score it against the prompt.
"""

import json
import re
from typing import Optional

import replicate
from cog import BaseModel, Input, Path

{uses}

STYLES = {styles}
MAX_WORDS = {max_words}


class Output(BaseModel):
    image: Path
    caption: str
    score: float
    seed: Optional[int] = None
'''

TYPICAL_HELPER = '''

def {name}(prompt: str, style: str, limit: int = {limit}) -> str:
    """Normalise the prompt for stage {n} and add the style's keywords."""
    words = [w for w in re.split(r"[\\s,]+", prompt.strip()) if w]
    if len(words) > limit:
        words = words[:limit]
    extra = {{"photo": "35mm, natural light", "sketch": "pencil, cross-hatching"}}.get(style, style)
    text = " ".join(words)
    if extra and extra not in text:
        text = f"{{text}}, {{extra}}"
    return text
'''

TYPICAL_RUN = '''

def _score(caption: str, prompt: str) -> float:
    wanted = {{w.lower() for w in re.findall(r"[a-zA-Z]+", prompt)}}
    got = {{w.lower() for w in re.findall(r"[a-zA-Z]+", caption)}}
    if not wanted:
        return 0.0
    return round(len(wanted & got) / len(wanted), 3)


def _first(images) -> str:
    try:
        return str(images[0])
    except (IndexError, TypeError) as exc:
        raise ValueError(f"the model returned no image: {{exc}}") from exc


def run(
    prompt: str = Input(description="What to draw"),
    style: str = Input(default="{style0}", choices=STYLES),
    steps: int = Input(default={steps}, ge=1, le=50, description="Denoising steps"),
    guidance: float = Input(default=3.5, ge=0.0, le=20.0),
    upscale: bool = Input(default=True, description="Upscale the image 2x"),
    seed: Optional[int] = Input(default=None, description="Random seed; leave empty for a random one"),
) -> Output:
    text = {chain}
    image = {m0}(prompt=text, num_inference_steps=steps, guidance=guidance, seed=seed)
    url = _first(image)
    if upscale:
        url = str({m2}(image=url, scale=2))
    caption = {m1}(prompt="Describe this image in one sentence.", image=url)
    caption = "".join(caption) if not isinstance(caption, str) else caption
    meta = json.dumps({{"prompt": text, "style": style, "steps": steps}})
    print(f"rendered {{len(meta)}} bytes of settings")
    return Output(image=Path(url), caption=caption, score=_score(caption, prompt), seed=seed)
'''


def typical_pipeline(folder: Path, seed: int = 0, seeded: bool = True, helpers: int = 4) -> Model:
    """A pipeline model of about 90 + 12 × ``helpers`` lines; ``seed`` varies every name and literal."""
    rng = random.Random(seed)
    names = rng.sample(PIPELINE_MODELS, 3)
    vars_ = [f"{w}_{seed}" if seed else w for w in ("render", "caption", "upscaler")]
    uses = "\n".join(f'{v} = replicate.use("{m}")' for v, m in zip(vars_, names, strict=True))
    styles = rng.sample(["photo", "sketch", "oil", "watercolour", "pixel", "anime", "noir"], 4)
    head = TYPICAL_HEAD.format(title=f"Generated pipeline model {seed}.", uses=uses, styles=styles,
                               max_words=rng.randint(30, 90))
    hnames = [f"{rng.choice(['clean', 'shape', 'tidy', 'refine'])}_{i}_{seed}" for i in range(helpers)]
    body = "".join(TYPICAL_HELPER.format(name=h, n=i, limit=rng.randint(10, 60)) for i, h in enumerate(hnames))
    chain = "prompt"
    for h in hnames:
        chain = f"{h}({chain}, style)"
    body += TYPICAL_RUN.format(style0=styles[0], steps=rng.randint(4, 40), chain=chain,
                               m0=vars_[0], m1=vars_[1], m2=vars_[2])
    text = head + body + (_seed_tail(rng) if seeded else "")
    write_model(folder, text)
    return _finish(folder, "main.py", text, seeded)


COG_TYPICAL_YAML = """build:
  gpu: true
  cuda: "12.1"
  python_version: "3.11"
  system_packages:
    - "libgl1-mesa-glx"
    - "ffmpeg"
  python_packages:
    - "torch==2.3.1"
    - "torchvision==0.18.1"
    - "diffusers==0.29.2"
    - "transformers==4.42.4"
    - "accelerate==0.32.1"
    - "safetensors==0.4.3"
predict: "predict.py:Predictor"
"""

COG_TYPICAL = '''"""{title}

An ordinary cog model: weights are loaded once in setup(), predict() runs on the GPU.
"""

import os
import time
from typing import List

import torch
from cog import BasePredictor, Input, Path
from diffusers import DiffusionPipeline
from PIL import Image

MODEL_ID = "{model_id}"
CACHE_DIR = "weights-cache"
SCHEDULERS = {schedulers}


def _resize(image: Image.Image, width: int, height: int) -> Image.Image:
    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.LANCZOS)


class Predictor(BasePredictor):
    def setup(self) -> None:
        """Load the model into memory to make running multiple predictions efficient."""
        start = time.time()
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.pipe = DiffusionPipeline.from_pretrained(
            MODEL_ID,
            torch_dtype=torch.float16,
            cache_dir=CACHE_DIR,
            use_safetensors=True,
        ).to(self.device)
        self.pipe.enable_xformers_memory_efficient_attention()
        print(f"setup took {{time.time() - start:.2f}}s")

    @torch.inference_mode()
    def predict(
        self,
        prompt: str = Input(description="Input prompt"),
        negative_prompt: str = Input(description="What to leave out", default=""),
        width: int = Input(description="Width of the output", default={width}, ge=256, le=2048),
        height: int = Input(description="Height of the output", default={height}, ge=256, le=2048),
        num_outputs: int = Input(description="Number of images", default=1, ge=1, le=4),
        scheduler: str = Input(default="{scheduler0}", choices=SCHEDULERS),
        num_inference_steps: int = Input(description="Denoising steps", default={steps}, ge=1, le=100),
        guidance_scale: float = Input(description="Classifier-free guidance", default=7.5, ge=1, le=20),
        seed: int = Input(description="Random seed; 0 for a random one", default=0),
    ) -> List[Path]:
        """Run a single prediction on the model."""
        if seed == 0:
            seed = int.from_bytes(os.urandom(2), "big")
        generator = torch.Generator(self.device).manual_seed(seed)
        result = self.pipe(
            prompt=[prompt] * num_outputs,
            negative_prompt=[negative_prompt] * num_outputs,
            width=width,
            height=height,
            guidance_scale=guidance_scale,
            num_inference_steps=num_inference_steps,
            generator=generator,
        )
        paths = []
        for i, image in enumerate(result.images):
            out = f"/tmp/out-{{i}}.png"
            _resize(image, width, height).save(out)
            paths.append(Path(out))
        if not paths:
            raise Exception("no images were generated: try a different prompt")
        return paths
'''


def typical_cog(folder: Path, seed: int = 0, seeded: bool = True) -> Model:
    """An ordinary cog model of about 100 lines (predict.py, ``gpu: true``, torch)."""
    rng = random.Random(10_000 + seed)
    schedulers = rng.sample(["DDIM", "K_EULER", "DPMSolverMultistep", "PNDM", "KLMS", "HeunDiscrete"], 4)
    text = COG_TYPICAL.format(title=f"Generated cog model {seed}.",
                              model_id=rng.choice(["stabilityai/stable-diffusion-xl-base-1.0",
                                                   "runwayml/stable-diffusion-v1-5", "SG161222/RealVisXL_V4.0"]),
                              schedulers=schedulers, scheduler0=schedulers[0], width=rng.choice([512, 768, 1024]),
                              height=rng.choice([512, 768, 1024]), steps=rng.randint(20, 50))
    # A cog model's seeded finding: a suppression of a code that does not exist on the token's
    # line (PL901, every target); which cog rules judge a token is not this benchmark's business.
    text += _seed_tail(rng, "report_metrics").replace('"application/json"}\n',
                                                      '"application/json"}  # pipelint: ignore[PL999]\n') \
        if seeded else ""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cog.yaml").write_text(COG_TYPICAL_YAML, encoding="utf-8")
    (folder / "predict.py").write_text(text, encoding="utf-8")
    return _finish(folder, "predict.py", text, seeded)


def big_model(folder: Path, lines: int = 2000, seeded: bool = True) -> Model:
    """One main.py of about ``lines`` lines, its finding seeded in the last function."""
    text = main_py(lines, f"A {lines:,}-line pipeline model.") + (_seed_tail(random.Random(lines)) if seeded else "")
    write_model(folder, text)
    return _finish(folder, "main.py", text, seeded)


def fixes_model(folder: Path, lines: int = 5000, fixes: int = 700) -> tuple[Model, int]:
    """A main.py of about ``lines`` lines where ``fixes`` lines, spread evenly, end with a
    suppression comment that suppresses nothing (PL901, which has a safe fix): ``--diff`` has
    that many fixes to apply. Returns the model and the number of such comments."""
    out = main_py(lines, f"A {lines:,}-line model with fixes.").splitlines()

    def whole_statement(line: str) -> bool:  # no open bracket or string: a comment there is a comment
        stripped = line.strip()
        return bool(stripped) and not stripped.startswith(("#", '"', "@")) and "#" not in line and \
            '"""' not in line and not stripped.endswith((",", "\\", ":", "(", "[", "{")) and \
            all(line.count(a) == line.count(b) for a, b in ("()", "[]", "{}"))

    eligible = [i for i, line in enumerate(out) if whole_statement(line)]
    step = max(1, len(eligible) / max(1, fixes))
    chosen = sorted({eligible[int(k * step)] for k in range(min(fixes, len(eligible)))})
    for i in chosen:
        out[i] += "  # pipelint: ignore[PL501]"
    text = "\n".join(out) + "\n"
    write_model(folder, text)
    return _finish(folder, "main.py", text, False), len(chosen)


def monorepo(top: Path, count: int = 500) -> Path:
    """``count`` model folders, no two files alike: four in five are pipeline models of 60 to 160
    lines (1 to 8 helpers, names and literals drawn from the folder's number), one in five an
    ordinary cog model; every seventh pipeline also has a local helpers module it imports."""
    for i in range(count):
        folder = top / f"team-{i // 50:02d}" / f"model-{i:04d}"
        if i % 5 == 4:
            typical_cog(folder, seed=i, seeded=i % 2 == 0)
            continue
        model = typical_pipeline(folder, seed=i, seeded=i % 3 == 0, helpers=1 + i % 8)
        if i % 7 == 0:
            (folder / "helpers.py").write_text(
                f'"""Shared helpers of model {i}."""\n\n\ndef clean_{i}(text: str) -> str:\n'
                f'    return " ".join(text.split())[:{100 + i}]\n', encoding="utf-8")
            text = model.entry.read_text(encoding="utf-8")
            model.entry.write_text(text.replace("import replicate\n", f"import replicate\nfrom helpers import clean_{i}\n", 1),
                                   encoding="utf-8")
    # cog.yaml and requirements.txt are the same in every model of a kind: tell them apart too.
    for cfg in top.glob("team-*/model-*/*"):
        if cfg.name in ("cog.yaml", "requirements.txt"):
            cfg.write_text(f"# {cfg.parent.parent.name}/{cfg.parent.name}\n" + cfg.read_text(encoding="utf-8"),
                           encoding="utf-8")
    return top


if __name__ == "__main__":
    import sys

    kinds = {"pipeline": typical_pipeline, "cog": typical_cog, "big": big_model}
    if len(sys.argv) < 3 or sys.argv[1] not in kinds:
        raise SystemExit("usage: generate.py pipeline|cog|big FOLDER [LINES]")
    args = (int(sys.argv[3]),) if sys.argv[1] == "big" and len(sys.argv) > 3 else ()
    print(kinds[sys.argv[1]](Path(sys.argv[2]), *args))
