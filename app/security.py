"""Response headers every page carries: a CSP with no inline script, and the usual hardening."""
from flask import abort, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _carries_nul() -> bool:
    if "\x00" in request.path:
        return True
    sources = [request.args] if request.method in ("GET", "HEAD", "OPTIONS") else [request.args, request.form]
    for multidict in sources:
        for key, values in multidict.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


def init_app(app) -> None:
    @app.before_request
    def _refuse_nul_characters():
        # No form or link of ours ever sends NUL, and PostgreSQL cannot store it in text: without
        # this, a NUL in a slug, a token or a description became a database error (503) deep in a
        # query instead of a plain 400.
        if _carries_nul():
            abort(400)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
