"""PL6 — the runtime environment and secrets.

The pipelines runtime passes a model nothing through environment variables: configuration and
secrets arrive as inputs (``cog.Secret`` for secrets), and the Replicate token travels in the
prediction's context. It imports the entry module to find the entry function and calls it itself.
"""
