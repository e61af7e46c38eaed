from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo sign-ins (development only; `make demo-logins`)."

    def handle(self, *args, **options):
        from members.demo import demo_sign_ins

        self.stdout.write(self.style.SUCCESS("The demo community is at http://127.0.0.1:8000"))
        self.stdout.write("Sign in with any of these (two-factor is not asked for in the demo):")
        for role, email, password in demo_sign_ins():
            self.stdout.write(f"  {role:<12} {email:<24} password: {password}")
        self.stdout.write("(`make demo-logins` prints these again.)")
        self.stdout.write("")
