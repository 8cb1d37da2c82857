"""Rules for Replicate pipeline models (the ``PL`` codes), one folder per family of
``shared/reference/rules.md``."""
