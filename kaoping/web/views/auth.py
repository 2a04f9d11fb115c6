"""Sign-in (登录) with Django's view and our template; sign-out is Django's LogoutView (POST)."""

from django.contrib.auth.views import LoginView

from ..forms import SignInForm


class SignInView(LoginView):
    """Django's sign-in; a signed-in user who opens it goes straight to their home page."""

    template_name = "web/auth/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
