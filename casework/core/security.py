"""Security headers on every response, with a per-request CSP nonce for GOV.UK's inline script."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def _headers(response: Response) -> Response:
        nonce = g.get("csp_nonce") or secrets.token_urlsafe(16)
        h = response.headers
        h["Content-Security-Policy"] = CSP.format(nonce=nonce)
        h["Strict-Transport-Security"] = f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["X-Frame-Options"] = "DENY"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        static = request.path.startswith(("/static/", "/assets/"))
        if not static:
            # Signed-in pages hold OFFICIAL-SENSITIVE data: never cache them anywhere.
            h["Cache-Control"] = "no-store"
            h["Pragma"] = "no-cache"
        return response
