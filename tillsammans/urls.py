from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tillsammans.api.urls import api
from tillsammans.core import accounts
from tillsammans.core import views as core_views
from tillsammans.core.urls import background_urlpatterns

urlpatterns = [
    path("", include("tillsammans.reporting.urls")),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("search/", core_views.search, name="search"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    # allauth's reset page, but a mail server that is down is a message instead of a 500.
    path("accounts/password/reset/", accounts.password_reset, name="account_reset_password"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("tillsammans.core.urls")),
    path("background/", include(background_urlpatterns)),
    path("partnership/", include("tillsammans.partnership.urls")),
    path("sites/", include("tillsammans.housing.urls")),
    path("households/", include("tillsammans.people.urls")),
    path("allocations/", include("tillsammans.reception.urls")),
    path("legal-path/", include("tillsammans.reception.path_urls")),
    path("placement/", include("tillsammans.placement.urls")),
    path("services/", include("tillsammans.addedvalues.urls")),
    path("referrals/", include("tillsammans.referrals.urls")),
    path("coupons/", include("tillsammans.coupons.urls")),
    path("training/", include("tillsammans.training.urls")),
    path("finance/", include("tillsammans.finance.urls")),
    path("host-homes/", include("tillsammans.hosting.urls")),
    path("jobs/", include("tillsammans.jobs.urls")),
    path("minors/", include("tillsammans.minors.urls")),
    path("privacy/", include("tillsammans.privacy.urls")),
    path("api/", api.urls),
]
if settings.ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))
