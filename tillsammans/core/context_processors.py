from django.http import HttpRequest

from tillsammans.core import access


def membership(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    member = access.membership_of(user)
    return {
        "membership": member,
        "is_coordinator": access.is_coordinator(user),
        "sees_people": access.sees_people(user),
        "manages_sites": access.can_manage_org_sites(user),
    }
