"""The views of the reference project: one per route of tests/src/bin/drf_parity.rs."""
import json

from django.contrib.auth.models import Group
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.views import LoginView as KnoxLoginView
from oauth2_provider.contrib.rest_framework import (
    OAuth2ProtectedResourceAuthentication,
    IsAuthenticatedOrTokenHasScope,
    OAuth2Authentication,
    TokenHasReadWriteScope,
    TokenHasResourceScope,
    TokenHasScope,
    TokenMatchesOASRequirements,
)
from rest_framework.authentication import (
    BasicAuthentication,
    RemoteUserAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.permissions import (
    AllowAny,
    BasePermission,
    DjangoModelPermissions,
    DjangoModelPermissionsOrAnonReadOnly,
    DjangoObjectPermissions,
    IsAdminUser,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.renderers import JSONRenderer, StaticHTMLRenderer
from rest_framework.decorators import api_view, authentication_classes, permission_classes, renderer_classes
from rest_framework.response import Response
from rest_framework_csv.renderers import CSVRenderer
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication, JWTStatelessUserAuthentication


class BearerAuthentication(TokenAuthentication):
    """DRF's documented variant: subclass TokenAuthentication and set `keyword`."""

    keyword = "Bearer"


class XRemoteUserAuthentication(RemoteUserAuthentication):
    """REMOTE_USER taken from the trusted `X-Remote-User` header (the Rust server's remote_user_header)."""

    header = "HTTP_X_REMOTE_USER"


class StaffWithMessage(BasePermission):
    message = "Custom: You cannot access this resource"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff)


class WhoAmI(APIView):
    """Answers every method with the request's user and auth (DRF defaults for the policies)."""

    def whoami(self, request, *args, **kwargs):
        return Response({"user": str(request.user), "auth": str(request.auth)})

    get = post = put = patch = delete = whoami


class Basic(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]


class Rendered(Basic):
    """`{user, auth}` in the accepted renderer's format; HTML renderers take a string."""

    def whoami(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "html":
            return Response(f"<p>{request.user}</p>")
        return super().whoami(request, *args, **kwargs)

    get = post = put = patch = delete = whoami


class RenderersCsv(Rendered):
    renderer_classes = [CSVRenderer]


class RenderersCsvJson(Rendered):
    renderer_classes = [CSVRenderer, JSONRenderer]


class RenderersHtml(Rendered):
    renderer_classes = [StaticHTMLRenderer]


class RenderersJson(Rendered):
    renderer_classes = [JSONRenderer]


class RenderersJsonHtml(Rendered):
    renderer_classes = [JSONRenderer, StaticHTMLRenderer]


class Token(WhoAmI):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]


class Bearer(WhoAmI):
    authentication_classes = [BearerAuthentication]
    permission_classes = [IsAuthenticated]


class Session(WhoAmI):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]


class Default(WhoAmI):
    """Project defaults: [Session, Basic] and IsAuthenticated."""


class BasicSession(WhoAmI):
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class TokenBasic(WhoAmI):
    authentication_classes = [TokenAuthentication, BasicAuthentication]
    permission_classes = [IsAuthenticated]


class SessionToken(WhoAmI):
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsAuthenticated]


class RemoteUser(WhoAmI):
    authentication_classes = [XRemoteUserAuthentication]
    permission_classes = [IsAuthenticated]


class Admin(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAdminUser]


class ReadOnly(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]


class AdminOrReadOnly(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAdminUser | IsAuthenticatedOrReadOnly]


class NotAuthenticated(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [~IsAuthenticated]


class CustomMessage(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [StaffWithMessage]


class NoAuth(WhoAmI):
    authentication_classes = []
    permission_classes = [IsAuthenticated]


class AllowAnyView(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [AllowAny]


class AnonThrottle(WhoAmI):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]


class UserThrottle(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [UserRateThrottle]


class ScopedThrottle(WhoAmI):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "burst"


class Jwt(WhoAmI):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]


class JwtStateless(WhoAmI):
    authentication_classes = [JWTStatelessUserAuthentication]
    permission_classes = [IsAuthenticated]


class JwtCookie(WhoAmI):
    authentication_classes = [JWTCookieAuthentication]
    permission_classes = [IsAuthenticated]


class JwtOrSession(WhoAmI):
    authentication_classes = [JWTAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class Knox(WhoAmI):
    authentication_classes = [KnoxTokenAuthentication]
    permission_classes = [IsAuthenticated]


class KnoxLogin(KnoxLoginView):
    authentication_classes = [BasicAuthentication]


# django-oauth-toolkit's resource-server side: DRF's OAuth2Authentication and the scope
# permissions (the `oauth2` group; tokens and applications: `manage.py parity_oauth2`).
# `str(request.auth)` of an OAuth2 token is DOT's `AccessToken #<pk>`.


class OAuth2(WhoAmI):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [IsAuthenticated]


class OAuth2ProtectedResource(WhoAmI):
    """DOT's RFC 9728 variant: the challenge names the metadata document (`o/` route)."""

    authentication_classes = [OAuth2ProtectedResourceAuthentication]
    permission_classes = [IsAuthenticated]


class OAuth2Open(WhoAmI):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [AllowAny]


class OAuth2Scope(WhoAmI):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasScope]
    required_scopes = ["read", "write"]


class OAuth2ReadWrite(WhoAmI):
    """`TokenHasReadWriteScope` without `required_scopes`: `read` for safe methods, else `write`."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasReadWriteScope]


class OAuth2ReadWriteAdmin(WhoAmI):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasReadWriteScope]
    required_scopes = ["admin"]


class OAuth2Resource(WhoAmI):
    """`TokenHasResourceScope`: `orders:read` for safe methods, else `orders:write`."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasResourceScope]
    required_scopes = ["orders"]


class OAuth2OrSession(WhoAmI):
    authentication_classes = [OAuth2Authentication, SessionAuthentication]
    permission_classes = [IsAuthenticatedOrTokenHasScope]
    required_scopes = ["read"]


class OAuth2Oas(WhoAmI):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenMatchesOASRequirements]
    required_alternate_scopes = {
        "GET": [["read"]],
        "POST": [["create", "write"], ["admin"]],
        "PUT": [["write"]],
    }


class OAuth2Composed(WhoAmI):
    authentication_classes = [OAuth2Authentication, TokenAuthentication]
    permission_classes = [TokenHasScope | IsAdminUser]
    required_scopes = ["admin"]


class OAuth2And(WhoAmI):
    authentication_classes = [OAuth2Authentication, SessionAuthentication]
    permission_classes = [IsAuthenticated & TokenHasScope]
    required_scopes = ["read"]


@csrf_exempt
def session_value(request):
    """`request.session["parity"]`, for the interop suite: GET answers it, POST sets it from the
    JSON body's `value` (a plain Django view: the session as Django's SessionMiddleware saves it)."""
    if request.method == "POST":
        request.session["parity"] = json.loads(request.body or b"{}").get("value")
    return JsonResponse({"value": request.session.get("parity")})


@ensure_csrf_cookie
def csrf_token(request):
    """Django's `get_token(request)` as JSON, for the interop suite: a masked token of the request's
    CSRF secret (kept, or made and stored: the csrftoken cookie, or the session with
    CSRF_USE_SESSIONS), as the Rust side's GET /api-auth/csrf/ answers it."""
    return JsonResponse({"csrf_token": get_token(request)})


# Function views (`@api_view`): the methods listed reach the function; after the policy, OPTIONS
# gets DRF's metadata (name from the function, description from its docstring) and any other
# method 405, each answer with `Allow` (in a Python set's order).


@api_view(["GET", "POST"])
@authentication_classes([BasicAuthentication])
@permission_classes([IsAuthenticated])
def api_view_basic(request):
    """Who is asking, by Basic.

    Answers GET and POST.
    """
    return Response({"user": str(request.user), "auth": str(request.auth)})


@api_view(["GET", "DELETE"])
@authentication_classes([BasicAuthentication])
@permission_classes([AllowAny])
def api_view_open(request):
    return Response({"user": str(request.user), "auth": str(request.auth)})


@api_view(["GET"])
@authentication_classes([BasicAuthentication])
@permission_classes([IsAuthenticated])
@renderer_classes([CSVRenderer, JSONRenderer])
def api_view_csv(request):
    """Café table — in CSV or JSON."""
    return Response([{"user": str(request.user), "auth": str(request.auth)}])


# DRF's model permissions on `auth.Group` (the users: `manage.py parity_perms`).


class ModelPerms(WhoAmI):
    authentication_classes = [BasicAuthentication]
    permission_classes = [DjangoModelPermissions]
    queryset = Group.objects.all()


class ModelPermsAnon(ModelPerms):
    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]


class ObjectPerms(ModelPerms):
    """`DjangoObjectPermissions`, the object an unsaved group."""

    permission_classes = [DjangoObjectPermissions]

    def whoami(self, request, *args, **kwargs):
        self.check_object_permissions(request, Group(name="parity"))
        return super().whoami(request, *args, **kwargs)

    get = post = put = patch = delete = whoami


class ViewObjectPermissions(DjangoObjectPermissions):
    """DRF's documented variant for django-guardian: reading needs the view permission."""

    perms_map = {**DjangoObjectPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"],
                 "HEAD": ["%(app_label)s.view_%(model_name)s"]}


class ObjectPermsView(ObjectPerms):
    permission_classes = [ViewObjectPermissions]


class ObjectPermsByPk(ObjectPerms):
    """`DjangoObjectPermissions` on group `pk` (an unsaved `Group` with that pk: what
    django-guardian's backend reads is the object's content type and `str(pk)`)."""

    def whoami(self, request, *args, pk=None, **kwargs):
        self.check_object_permissions(request, Group(pk=pk, name="parity"))
        return WhoAmI.whoami(self, request, *args, **kwargs)

    get = post = put = patch = delete = whoami


class ObjectPermsViewByPk(ObjectPermsByPk):
    permission_classes = [ViewObjectPermissions]


@api_view(["GET"])
@authentication_classes([BasicAuthentication])
@permission_classes([AllowAny])
def has_perm(request):
    """`request.user.has_perm(p)` for each `perm` of the query string, in its order."""
    return Response({p: request.user.has_perm(p) for p in request.query_params.getlist("perm")})


def password_reset_confirm_page(request, **parts):
    """The front end's page of a dj-rest-auth reset link: it would post `uid` and `token` to
    `password/reset/confirm/`. Only its URL matters here (dj-rest-auth reverses it)."""
    return JsonResponse(parts)
