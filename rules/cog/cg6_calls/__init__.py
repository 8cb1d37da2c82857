"""CG6: calls and secrets: hard-coded credentials in the model's source."""
