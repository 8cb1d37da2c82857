"""PL0 — reading the project. A file that cannot be read or parsed is one diagnostic, and the
other files are still linted."""
