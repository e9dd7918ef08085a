"""The shared context passed to each app's demo seeder."""
import random
from dataclasses import dataclass, field

DEMO_PASSWORD = "demo1234"


@dataclass
class DemoContext:
    stdout: object = None
    rng: random.Random = field(default_factory=lambda: random.Random(20261127))
    company: object = None
    regions: list = field(default_factory=list)
    halls: list = field(default_factory=list)
    users: dict = field(default_factory=dict)  # username → User
    sign_ins: list = field(default_factory=list)  # (role label, username, hall or region)
    days_of_history: int = 30

    def log(self, what, detail=""):
        if self.stdout is not None:
            self.stdout.write(f"  {what}: {detail}")

    def by_role(self, role, hall=None):
        return [
            u for u in self.users.values()
            if role in u.role_codes and (hall is None or any(h.pk == hall.pk for h in u.demo_halls))
        ]
