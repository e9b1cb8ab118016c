"""Interview sessions, their invites and participants, and who may do what in them."""
