"""Response hardening: security headers, the Content Security Policy and cookie settings.

Every page gets a strict Content Security Policy. Scripts come only from our own
origin; the one inline script GOV.UK Frontend's page template needs (it marks
`<body>` as JavaScript-enabled before the page paints) carries a nonce made
fresh for each request, so the policy never needs `'unsafe-inline'`.

Links to questionnaires carry secret tokens in their paths, so no page sends a
`Referer` header anywhere (`Referrer-Policy: no-referrer`).
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface
from flask.wrappers import Response

HSTS_MAX_AGE = 365 * 24 * 60 * 60

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def init_app(app: Flask) -> None:
    """Harden cookies and add security headers to every response."""
    configure_cookies(app)
    app.session_interface = HttpsAwareSessionInterface()
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_security_headers)


def configure_cookies(app: Flask) -> None:
    """Make session and remember-me cookies HttpOnly, SameSite=Lax and, over HTTPS, Secure."""
    secure = secure_cookies_wanted(app.config)
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{prefix}_HTTPONLY"] = True
        app.config[f"{prefix}_SAMESITE"] = "Lax"
        app.config[f"{prefix}_SECURE"] = secure


def secure_cookies_wanted(config: Any) -> bool:
    """Whether cookies must always be Secure: DEBRIEF_SECURE_COOKIES, else an https BASE_URL."""
    flag = config.get("SECURE_COOKIES")
    if flag is not None and str(flag).strip() != "":
        return str(flag).strip().lower() in {"1", "true", "yes", "on"}
    scheme = str(config.get("PREFERRED_URL_SCHEME") or "").lower()
    base_url = str(config.get("BASE_URL") or "").lower()
    return scheme == "https" or base_url.startswith("https://")


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request itself came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or (request and request.is_secure))


def csp_nonce() -> str:
    """Return this request's nonce for the Content Security Policy."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str | None) -> str:
    """Build the policy; `nonce` allows the inline scripts rendered with it."""
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    directives = {
        "default-src": "'self'",
        "script-src": scripts,
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def is_static(endpoint: str | None) -> bool:
    """Whether the endpoint serves static files (the app's or a blueprint's)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def add_security_headers(response: Response) -> Response:
    """Add the security headers; pages (not static files) are never cached."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")
    if not is_static(request.endpoint):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response
