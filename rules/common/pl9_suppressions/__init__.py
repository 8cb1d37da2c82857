"""PL9 — pipelint's own comments: suppression comments that do nothing."""
