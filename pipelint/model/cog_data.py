"""Placeholder until the derived cog data lands (see scripts/regenerate_cog_data.py)."""


def newest_cog_version() -> str:
    return "0.23"


def known_cog_versions() -> tuple[str, ...]:
    return tuple(f"0.{n}" for n in range(15, 24))
