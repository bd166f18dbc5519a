"""Device cookies: a browser that signed in to an account is recognised at its next sign-in,
so that strangers' failures for that account (from the same office address) never throttle
it (OWASP, "Slow down online guessing attacks with device cookies")."""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "drafter_device"
LIFETIME = 180 * 24 * 3600  # seconds


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="device-cookie")


def trusted(username: str) -> bool:
    """Whether this request's browser signed in to `username` before (a valid cookie)."""
    value = request.cookies.get(COOKIE)
    if not value:
        return False
    try:
        data = _serializer().loads(value, max_age=LIFETIME)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == username.strip().casefold()


def remember(response: Response, username: str) -> None:
    """Give the browser a device cookie for `username` (after a right password)."""
    token = _serializer().dumps({"u": username.strip().casefold(), "n": secrets.token_hex(8)})
    response.set_cookie(
        COOKIE,
        token,
        max_age=LIFETIME,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        path="/login",
    )
