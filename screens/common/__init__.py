"""What every screen shares: help, keys, lock, dialogs, widgets."""
