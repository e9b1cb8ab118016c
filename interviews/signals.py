"""Reactions to events of other apps, so that those apps need not import this one."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from .realtime.notify import user_sockets_close

# The close code a room socket gets when its user logs out (docs/protocol.md).
LOGGED_OUT = 4401


@receiver(user_logged_out, dispatch_uid="interviews.close_sockets_on_logout")
def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """Room sockets were authenticated once, at connect: close them when their user logs out,
    wherever that happens (the API, the admin)."""
    if user is not None:
        user_sockets_close(user.pk, LOGGED_OUT)
