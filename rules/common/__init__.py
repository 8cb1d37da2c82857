"""Rules for every kind of model folder: reading the project (PL0) and suppression comments (PL9)."""
