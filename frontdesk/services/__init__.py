"""The desk's services. Importing any of them puts the text guard on every ORM write."""

from frontdesk.services.text_guard import install_guard

install_guard()
