"""Session-cookie auth for the browser app: CSRF cookie, sign up, log in, log out, me."""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import AuthThrottle

User = get_user_model()

LOCKED_OUT = (
    "Too many failed log-ins for this account from your address: logging in from here is locked "
    f"for {settings.AXES_COOLOFF_TIME.total_seconds() / 60:.0f} minutes."
)


class CsrfEvenWhenAnonymous(SessionAuthentication):
    """DRF checks CSRF only for logged-in users; log-in and sign-up need it too (login CSRF)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            self.enforce_csrf(request)
        return result


class CsrfEvenWhenAnonymousScheme(SessionScheme):
    """Documents CsrfEvenWhenAnonymous as the cookie session scheme it is."""

    target_class = CsrfEvenWhenAnonymous
    name = "csrfCookieAuth"


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    is_staff = serializers.BooleanField()


class CsrfApi(APIView):
    permission_classes = [AllowAny]

    class Output(serializers.Serializer):
        csrftoken = serializers.CharField()

    @extend_schema(responses=Output)
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        return Response({"csrftoken": get_token(request)})


class SignupApi(APIView):
    authentication_classes = [CsrfEvenWhenAnonymous]
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]
    throttle_scope = "auth"

    class Input(serializers.Serializer):
        username = serializers.RegexField(
            r"^[\w.@+-]{3,30}$",
            error_messages={"invalid": "3-30 letters, digits or . @ + - _ characters."},
        )
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        email = serializers.EmailField(required=False, allow_blank=True, max_length=254)

        def validate_username(self, value):
            if User.objects.filter(username__iexact=value).exists():
                raise serializers.ValidationError("This username is taken.")
            return value

        def validate(self, attrs):
            candidate = User(username=attrs["username"], email=attrs.get("email", ""))
            try:
                validate_password(attrs["password"], user=candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": exc.messages}) from exc
            return attrs

    @extend_schema(request=Input, responses={201: UserOutput})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.create_user(
            username=data.validated_data["username"],
            email=data.validated_data.get("email", ""),
            password=data.validated_data["password"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class LoginApi(APIView):
    authentication_classes = [CsrfEvenWhenAnonymous]
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]
    throttle_scope = "auth"

    class Input(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(request=Input, responses={200: UserOutput, 400: None, 429: None})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        # With the request, django-axes counts the failure against this username from this
        # client address and refuses every attempt, right password or not, while locked out.
        user = authenticate(request, **data.validated_data)
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            return Response(
                {"detail": "Invalid username or password."}, status=status.HTTP_400_BAD_REQUEST
            )
        # A new session id at every log-in (OWASP ASVS V7): login() flushes the session when
        # another user was logged in, but keeps the key when the same user logs in again.
        request.session.cycle_key()
        login(request, user)
        return Response(UserOutput(user).data)


class LogoutApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        # Open room sockets are closed by interviews' user_logged_out receiver.
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """Who is logged in: `authenticated` false and `user` null when nobody is."""

    # Every page asks, logged in or not: nobody logged in is an answer, not an error status
    # the browser would report in its console.
    permission_classes = [AllowAny]

    class Output(serializers.Serializer):
        authenticated = serializers.BooleanField()
        user = UserOutput(allow_null=True)

    @extend_schema(responses=Output)
    def get(self, request):
        user = request.user if request.user.is_authenticated else None
        return Response(self.Output({"authenticated": user is not None, "user": user}).data)
