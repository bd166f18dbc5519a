"""Security headers, set in one place for every response.

A strict Content-Security-Policy (no inline script or style anywhere: the pages' little
JavaScript is in ``static/*.js`` and the dashboard draws its bars as SVG attributes), no
framing by any site, no MIME sniffing, referrers kept on this site, and pages of a signed-in
user never stored by a browser or a proxy cache.
"""

from __future__ import annotations

from flask import Flask, Response, request, session

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Add the headers to every response of `app`."""

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if session.get("user_id") is not None and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
