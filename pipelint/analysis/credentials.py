"""Names that say they hold a credential (``OPENAI_API_KEY``, ``hf_token``, ``password``).

Shared by the rules that look for secrets in the environment and in literals. (The entry's
``secret-as-str`` rule has its own, stricter reading of input names.)
"""

from __future__ import annotations

import re

CREDENTIAL_WORDS = {"key", "apikey", "secret", "token", "password", "passwd", "pwd", "credential", "credentials",
                    "authorization", "auth", "bearer"}


def name_words(name: str) -> list[str]:
    """The lower-case words of an identifier or variable name (``hfToken`` → ``["hf", "token"]``)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[_\-\s]+", spaced.lower()) if w]


def is_credential_name(name: str | None) -> bool:
    """The name's last word is a credential word (``api_key``, ``REPLICATE_API_TOKEN``)."""
    words = name_words(name or "")
    return bool(words) and words[-1] in CREDENTIAL_WORDS


# ---- hard-coded credentials (shared by PL602 and CG601) ---------------------------------------
_TOKEN_PATTERNS = [
    ("Replicate API token", re.compile(r"\br8_([A-Za-z0-9]{30,})\b")),
    ("OpenAI or Anthropic API key", re.compile(r"\bsk-(?:ant-|proj-|svcacct-)?([A-Za-z0-9_-]{20,})")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_|github_pat_)([A-Za-z0-9_]{30,})\b")),
    ("Hugging Face token", re.compile(r"\bhf_([A-Za-z0-9]{30,})\b")),
    ("AWS access key", re.compile(r"\b(AKIA[0-9A-Z]{16})\b")),
    ("Google API key", re.compile(r"\bAIza([0-9A-Za-z_-]{35})\b")),
    ("Slack token", re.compile(r"\bxox[abposr]-([A-Za-z0-9-]{20,})\b")),
    ("Stripe key", re.compile(r"\b[sr]k_live_([A-Za-z0-9]{20,})\b")),
]


PLACEHOLDER = re.compile(r"(?i)your|xxxx|example|placeholder|change.?me|dummy|sample|fake|redacted|insert|<|>|\{|\}|\.\.\.|\*\*")


def known_token(text: str) -> str | None:
    """The kind of credential ``text`` contains (a Replicate token, an OpenAI key, …), or None."""
    for kind, pattern in _TOKEN_PATTERNS:
        for match in pattern.finditer(text):
            body = match.group(1)
            mixed = re.search(r"[0-9]", body) or (re.search(r"[a-z]", body) and re.search(r"[A-Z]", body))
            if not PLACEHOLDER.search(match.group(0)) and len(set(body)) >= 8 and mixed:
                return kind
    return None
