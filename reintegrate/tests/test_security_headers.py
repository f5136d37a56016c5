"""Every response carries a strict content security policy: no inline script or style, nothing from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from conftest import client_for


def test_a_page_carries_the_content_security_policy(headteacher):
    response = client_for(headteacher).get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_sign_in_page_carries_it_too(client):
    assert "default-src 'self'" in client.get("/accounts/login/").headers["Content-Security-Policy"]


def test_no_template_has_inline_script_or_style_that_the_policy_would_block():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
