"""Sent with `session_id` when what a session's transcript holds changed: its last pending chunk
was transcribed or failed, or the recordings were deleted. The report's queue listens (connected
in interviews.apps): recordings sit below reports in the layers and cannot call them."""

from django.dispatch import Signal

transcript_changed = Signal()
