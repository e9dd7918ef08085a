"""The parts of the page shell that need halls and roles: the hall switcher and the signed-in person's role labels."""
from .models import Hall, Role
from .tenancy import hall_ids_for


def tenancy(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def halls():  # evaluated only by pages that show the switcher
        return list(Hall.objects.filter(pk__in=hall_ids_for(user)).order_by("region__path", "code"))

    roles = user.role_codes
    labels = [Role(code).label for code in Role.values if code in roles]
    if user.is_superuser and not labels:
        labels = [Role.ADMIN.label]
    return {"switchable_halls": halls, "user_role_labels": labels}
