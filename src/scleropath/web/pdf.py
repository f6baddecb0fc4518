"""HTML to PDF for the pages that print (the aftercare leaflet, the quarterly analytics report).

WeasyPrint may fetch nothing but ScleroPath's own static files: the pages are rendered against a
base URL no one serves, and the fetcher maps that URL to a static file or refuses it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders

STATIC_PREFIX = "/static/"
LEAFLET_BASE = "http://scleropath.invalid/"


def static_file_for(url: str) -> Path:
    """The static file behind ``url``; anything that is not one of our static files is refused."""
    prefix = LEAFLET_BASE.rstrip("/") + STATIC_PREFIX
    if not url.startswith(prefix):
        raise ValueError(f"Refusing to fetch {url!r}: the leaflet uses only ScleroPath's own static files.")
    relative = url.removeprefix(prefix)
    if ".." in relative.split("/") or relative.startswith("/"):
        raise ValueError(f"Refusing to fetch {url!r}: not a plain static file path.")
    found = finders.find(relative)
    if not found:
        raise ValueError(f"No static file {url!r}")
    return Path(found if isinstance(found, str) else found[0])


def render_pdf(html: str) -> bytes:
    """The HTML as PDF bytes, with fonts and styles from our static files only."""
    # Imported here: only the PDF views need WeasyPrint and its system libraries.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_file_for(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    result: bytes = HTML(string=html, base_url=LEAFLET_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf()
    return result
