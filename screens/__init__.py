"""Textual screens and widgets: one client of the frontdesk services."""
