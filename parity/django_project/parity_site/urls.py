from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.csrf import requires_csrf_token
from knox import views as knox_views
from rest_framework.authtoken.views import obtain_auth_token
from dj_rest_auth.jwt_auth import get_refresh_view
from dj_rest_auth.views import LoginView as RestAuthLoginView
from dj_rest_auth.views import LogoutView as RestAuthLogoutView
from dj_rest_auth.views import PasswordChangeView as RestAuthPasswordChangeView
from dj_rest_auth.views import PasswordResetConfirmView as RestAuthPasswordResetConfirmView
from dj_rest_auth.views import PasswordResetView as RestAuthPasswordResetView
from dj_rest_auth.views import UserDetailsView as RestAuthUserDetailsView
from rest_framework_simplejwt import views as jwt_views

from . import views

urlpatterns = [
    path("basic/", views.Basic.as_view()),
    path("renderers/csv/", views.RenderersCsv.as_view()),
    path("renderers/csv-json/", views.RenderersCsvJson.as_view()),
    path("renderers/html/", views.RenderersHtml.as_view()),
    path("renderers/json-html/", views.RenderersJsonHtml.as_view()),
    path("renderers/json/", views.RenderersJson.as_view()),
    path("api-view/basic/", views.api_view_basic),
    path("api-view/open/", views.api_view_open),
    path("api-view/csv/", views.api_view_csv),
    path("model-perms/", views.ModelPerms.as_view()),
    path("model-perms-anon/", views.ModelPermsAnon.as_view()),
    path("has-perm/", views.has_perm),
    path("object-perms/", views.ObjectPerms.as_view()),
    path("object-perms-view/", views.ObjectPermsView.as_view()),
    path("object-perms/<int:pk>/", views.ObjectPermsByPk.as_view()),
    path("object-perms-view/<int:pk>/", views.ObjectPermsViewByPk.as_view()),
    path("token/", views.Token.as_view()),
    path("bearer/", views.Bearer.as_view()),
    path("session/", views.Session.as_view()),
    path("default/", views.Default.as_view()),
    path("basic-session/", views.BasicSession.as_view()),
    path("token-basic/", views.TokenBasic.as_view()),
    path("session-token/", views.SessionToken.as_view()),
    path("remote-user/", views.RemoteUser.as_view()),
    path("admin/", views.Admin.as_view()),
    path("read-only/", views.ReadOnly.as_view()),
    path("admin-or-read-only/", views.AdminOrReadOnly.as_view()),
    path("not-authenticated/", views.NotAuthenticated.as_view()),
    path("custom-message/", views.CustomMessage.as_view()),
    path("no-auth/", views.NoAuth.as_view()),
    path("allow-any/", views.AllowAnyView.as_view()),
    path("anon-throttle/", views.AnonThrottle.as_view()),
    path("user-throttle/", views.UserThrottle.as_view()),
    path("scoped-throttle/", views.ScopedThrottle.as_view()),
    path("api-token-auth/", obtain_auth_token),
    path("jwt/", views.Jwt.as_view()),
    path("jwt-stateless/", views.JwtStateless.as_view()),
    path("jwt-or-session/", views.JwtOrSession.as_view()),
    path("jwt-cookie/", views.JwtCookie.as_view()),
    path("dj-rest-auth/token/refresh/", get_refresh_view().as_view()),
    # `requires_csrf_token`: what Django's CsrfViewMiddleware does for these two views in a
    # project that has it (the default MIDDLEWARE; this project leaves it out, see
    # parity/README.md): the CSRF secret that `login()` rotates is sent as the csrftoken cookie.
    path("dj-rest-auth/login/", requires_csrf_token(RestAuthLoginView.as_view())),
    path("dj-rest-auth/logout/", requires_csrf_token(RestAuthLogoutView.as_view())),
    # As dj-rest-auth's urls.py writes them (the trailing slash optional).
    re_path(r"^dj-rest-auth/user/?$", RestAuthUserDetailsView.as_view()),
    re_path(r"^dj-rest-auth/password/change/?$", RestAuthPasswordChangeView.as_view()),
    re_path(r"^dj-rest-auth/password/reset/?$", RestAuthPasswordResetView.as_view()),
    re_path(r"^dj-rest-auth/password/reset/confirm/?$", RestAuthPasswordResetConfirmView.as_view()),
    # The page a reset link opens (`password_reset_confirm`), which dj-rest-auth reverses to
    # build the link (without it, its reset answers 500): with allauth, the parity contract's
    # `password-reset/confirm/<base36 uid>-<key>/`; without, the URL of
    # `django.contrib.auth.urls`, which Django's reset email template reverses.
    re_path(r"^password-reset/confirm/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
            views.password_reset_confirm_page, name="password_reset_confirm")
    if settings.PARITY_ALLAUTH else
    path("reset/<uidb64>/<token>/", views.password_reset_confirm_page, name="password_reset_confirm"),
    path("api/token/", jwt_views.TokenObtainPairView.as_view()),
    path("api/token/refresh/", jwt_views.TokenRefreshView.as_view()),
    path("api/token/verify/", jwt_views.TokenVerifyView.as_view()),
    path("api/token/blacklist/", jwt_views.TokenBlacklistView.as_view()),
    path("api/token/sliding/", jwt_views.TokenObtainSlidingView.as_view()),
    path("api/token/sliding/refresh/", jwt_views.TokenRefreshSlidingView.as_view()),
    path("knox/", views.Knox.as_view()),
    path("knox/login/", views.KnoxLogin.as_view(), name="knox_login"),
    path("knox/logout/", knox_views.LogoutView.as_view(), name="knox_logout"),
    path("knox/logoutall/", knox_views.LogoutAllView.as_view(), name="knox_logoutall"),
    # django-oauth-toolkit: DRF views with OAuth2Authentication and its scope permissions, and
    # DOT's own endpoints (`/o/token/`, ...) that issue the tokens.
    path("oauth2/", views.OAuth2.as_view()),
    path("oauth2-open/", views.OAuth2Open.as_view()),
    path("oauth2-protected-resource/", views.OAuth2ProtectedResource.as_view()),
    path("oauth2-scope/", views.OAuth2Scope.as_view()),
    path("oauth2-rw/", views.OAuth2ReadWrite.as_view()),
    path("oauth2-rw-admin/", views.OAuth2ReadWriteAdmin.as_view()),
    path("oauth2-resource/", views.OAuth2Resource.as_view()),
    path("oauth2-or-session/", views.OAuth2OrSession.as_view()),
    path("oauth2-oas/", views.OAuth2Oas.as_view()),
    path("oauth2-composed/", views.OAuth2Composed.as_view()),
    path("oauth2-and/", views.OAuth2And.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    # djoser 2.3.5: its router (users/…) and its token login/logout.
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.urls.authtoken")),
    path("auth/", include("djoser.urls.jwt")),
    # The interop suite's session values (a plain Django view).
    path("session-value/", views.session_value),
    path("csrf-token/", views.csrf_token),
    # Django's own login page: a real Django session + csrftoken for the interop rows.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
]

if settings.PARITY_ALLAUTH:
    # dj-rest-auth's registration (it needs allauth): its urls.py as the docs mount it, the
    # registration view with the CSRF cookie a project with CsrfViewMiddleware sends (see
    # dj-rest-auth/login/ above).
    from dj_rest_auth.registration.views import RegisterView

    urlpatterns += [
        path("dj-rest-auth/registration/", requires_csrf_token(RegisterView.as_view())),
        path("dj-rest-auth/registration/", include("dj_rest_auth.registration.urls")),
    ]

