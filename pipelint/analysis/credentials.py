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
