"""The desk's screens, by feature."""
