"""Uploaded files, told by their bytes and served so that none can run as a page (issue 17 §2).

A file a user uploaded is served as a download (`Content-Disposition: attachment`), except a photo whose
stored type is one of SAFE_INLINE_IMAGES and whose bytes really are that type: that one is shown in the
browser. Every file response carries `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy,
so that even a file the browser renders cannot run script or reach the site. HTML, SVG and PDF (which can carry
JavaScript) are never shown inline; a stored type we do not recognise is served as application/octet-stream.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse

SAFE_INLINE_IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
# Types we name by their bytes; anything else is served as application/octet-stream.
SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF-",),
}
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
}


def sniff_type(head: bytes) -> str | None:
    """The type the first bytes of a file show (at least 12 bytes), or None."""
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "image/heic"
    return None


def serve_upload(handle, *, stored_type: str, filename: str) -> FileResponse:
    """A response for an uploaded file (an open binary file), by the policy above."""
    head = handle.read(16)
    handle.seek(0)
    actual = sniff_type(head)
    known = actual is not None and actual == stored_type
    inline = known and actual in SAFE_INLINE_IMAGES
    response = FileResponse(handle, content_type=actual if known else "application/octet-stream")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response
