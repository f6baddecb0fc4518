"""The API's docs page (Swagger UI) loads everything from our own static files, so it renders under
the strict Content-Security-Policy instead of showing a blank page."""

from __future__ import annotations

import re

from django.test import Client


def test_the_docs_page_loads_its_assets_from_our_static_files_only(client: Client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in addresses)
    assert all(a.startswith("/static/") for a in addresses), addresses
    assert "//" not in "".join(addresses)
    assert "cdn" not in page.lower()
    for address in addresses:
        assert client.get(address).status_code == 200, address


def test_the_docs_page_runs_no_inline_script(client: Client, db):
    page = client.get("/api/v1/docs").content.decode()
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes or not body.strip()
