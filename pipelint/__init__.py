"""pipelint: a static linter for Replicate pipeline models."""


def __getattr__(name: str):
    # The version lives in pyproject.toml only (read through pipelint.core.meta on first use).
    if name == "__version__":
        from pipelint.core.meta import version

        return version()
    raise AttributeError(f"module 'pipelint' has no attribute {name!r}")
