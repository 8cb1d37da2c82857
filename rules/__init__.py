"""pipelint's rules, one small module per rule or tight family. Installed as ``pipelint.rules``."""
