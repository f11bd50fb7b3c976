"""Food coupons in the demo "Göteborg 2022": Räddningsmissionen's social supermarket takes
coupons that the partners (and the city) issue to households living at their sites.

Coupons go through the real services, so the residents-only rule holds: they are issued to
households that still live where they lived at the end of 2022, after they moved in.
Staff logins are neutral roles; no staff name of a real organisation appears.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from tillsammans.core.models import User
from tillsammans.partnership.models import Membership, Organisation, Role
from tillsammans.reception.models import Stay

from .models import Shop
from .services import coupon_cancel, coupon_issue, coupon_redeem

EMAIL_DOMAIN = "demo.tillsammans.example"
PASSWORD = "tillsammans-demo-2022"  # noqa: S105 -- the demo's published login, as in reporting
SHOP_ORGANISATION = "raddningsmissionen"
FIRST_DAY = dt.date(2022, 8, 1)
LAST_DAY = dt.date(2022, 12, 31)
VALUES_SEK = [200, 300, 300, 400, 500]
VALID_DAYS = 30
SHARE_OF_HOUSEHOLDS = 0.2


def _staff(organisation: Organisation) -> User:
    """The organisation's first staff login (the coordinator for the city), or a neutral one."""
    role = Role.COORDINATOR if organisation.is_municipality else Role.PARTNER_STAFF
    existing = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing.user
    user, _created = User.objects.get_or_create(
        email=f"personal.{organisation.slug}@{EMAIL_DOMAIN}",
        defaults={
            "first_name": "Personal",
            "last_name": "Demo",
            "password": make_password(PASSWORD),
        },
    )
    Membership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return user


def load(rng: random.Random) -> None:
    shop_org = Organisation.objects.filter(slug=SHOP_ORGANISATION).first()
    if shop_org is None:
        return  # not the Göteborg demo
    shop = Shop.objects.create(
        organisation=shop_org,
        name="Räddningsmissionens Maträttsbutik",
        address="Göteborg",
        opening_hours="Mån–fre 10–18",
    )
    cashier = _staff(shop_org)
    stays = list(
        Stay.objects.filter(ended_on__isnull=True)
        .select_related("household", "unit__site__organisation")
        .order_by("household__reference")
    )
    staff: dict[int, User] = {}
    for stay in stays:
        if rng.random() > SHARE_OF_HOUSEHOLDS:
            continue
        organisation = stay.unit.site.organisation
        issuer = staff.setdefault(organisation.pk, _staff(organisation))
        start = max(stay.started_on, FIRST_DAY)
        if start > LAST_DAY - dt.timedelta(days=7):
            continue
        for _number in range(rng.randint(1, 3)):
            on = start + dt.timedelta(days=rng.randint(0, (LAST_DAY - start).days - 7))
            coupon = coupon_issue(
                actor=issuer,
                household=stay.household,
                shop=shop,
                value_sek=rng.choice(VALUES_SEK),
                valid_until=on + dt.timedelta(days=VALID_DAYS),
                on=on,
            )
            fate = rng.random()
            if fate < 0.7:
                used_on = on + dt.timedelta(days=rng.randint(0, VALID_DAYS))
                if used_on <= LAST_DAY:
                    share = Decimal(rng.randint(60, 100)) / 100
                    amount = (coupon.value_sek * share).quantize(Decimal("0.01"))
                    coupon_redeem(actor=cashier, code=coupon.code, amount=amount, on=used_on)
            elif fate < 0.75:
                coupon_cancel(
                    actor=issuer,
                    coupon=coupon,
                    reason="Utfärdad av misstag",
                    on=on + dt.timedelta(days=1),
                )
