"""Sent with `session_id` once the end of an interview has committed. Other apps (peer
practice: the pairing's second interview is next) listen without interviews importing them."""

from django.dispatch import Signal

session_ended = Signal()
