"""Head office's screens."""
