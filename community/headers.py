"""Privacy headers shared by the middleware and WhiteNoise (imported by settings: no Django imports here)."""

ROBOTS_TAG = "noindex, nofollow"
# No page here needs a camera, microphone, location, payment or sensors: switched off for this site and any frame.
# WebAuthn (security keys for MFA) and fullscreen stay allowed for the site itself.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "bluetooth=()",
        "camera=()",
        "display-capture=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "picture-in-picture=()",
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
        "screen-wake-lock=()",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


def static_file_headers(headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: WhiteNoise answers for static files before PrivacyHeadersMiddleware runs."""
    headers["X-Robots-Tag"] = ROBOTS_TAG
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
