"""Printing on the desk's ESC/POS receipt printer: its settings and the bytes sent to it."""
