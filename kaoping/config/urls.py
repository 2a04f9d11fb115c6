"""URL configuration: the web app at the root, sign-in and sign-out, the language switcher, the
admin. Every page needs a signed-in user (LoginRequiredMiddleware) except those marked
@login_not_required: sign-in, the language switch (the sign-in page offers it), /healthz.
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.i18n import set_language

from kaoping.web.views.auth import SignInView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", include("kaoping.api.urls")),
    path("", include("kaoping.web.urls")),
]
