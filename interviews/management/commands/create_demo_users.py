from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERS = (("ada", "interviewer"), ("grace", "candidate"))
DEMO_PASSWORD = "mockroom-demo-pass"


class Command(BaseCommand):
    help = "Create two demo accounts for local use (idempotent) and print their logins."

    def handle(self, *args, **options):
        User = get_user_model()
        for username, _ in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
        self.stdout.write(f"Demo accounts (password for both: {DEMO_PASSWORD}):")
        for username, hint in DEMO_USERS:
            self.stdout.write(f"  {username:<8} try it as the {hint}")
