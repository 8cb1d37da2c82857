"""pipelint: a static linter for Replicate pipeline models."""

__version__ = "0.1.0"
