"""Every HTML page of the product is reached by a browser journey, and so checked with axe-core.

This file's name sorts last, so that it runs after every journey of the session (`make e2e` runs them all). A page
added later that no journey reaches fails here, with the list of routes.
"""

from __future__ import annotations

from e2e.conftest import REACHED
from reintegrate.tests.permission_matrix import project_routes

# Routes that answer with no HTML page to check, and why.
NOT_PAGES: dict[str, str] = {
    "healthz": "JSON for the load balancer",
    "logout": "a POST that signs out and redirects",
    "pupils:subject_access": "the POST is a ZIP download (the GET page is checked)",
    "documents:issued_file": "a PDF or Word download",
    "documents:issued_retry": "a POST that resends emails and redirects",
    "documents:template_download": "a Word download",
    "documents:template_reset": "a POST that redirects",
    "records:blank_pdf": "a PDF download",
    "records:blank_docx": "a Word download",
    "records:meeting_record_pdf": "a PDF download",
    "records:meeting_record_docx": "a Word download",
    "records:plan_pdf": "a PDF download",
    "records:plan_docx": "a Word download",
    "records:my_return_plan_pdf": "a PDF download",
    "records:my_return_plan_docx": "a Word download",
    "calendar:meeting": "a calendar file (.ics)",
    "calendar:next_review": "a calendar file (.ics)",
    "imports:example": "an example CSV file",
    "imports:apply": "a POST that imports and redirects",
    "imports:cancel": "a POST that cancels and redirects",
    "api-v1:api-root": "the API's JSON index",
}


def test_every_html_page_of_the_product_is_reached_by_a_journey():
    pages = sorted(route.name for route in project_routes() if route.name and route.name not in NOT_PAGES)

    unreached = [name for name in pages if name not in REACHED]

    assert unreached == [], f"No browser journey reaches these pages, so axe never checks them: {unreached}"


def test_the_list_of_non_pages_names_only_real_routes():
    names = {route.name for route in project_routes()}

    assert set(NOT_PAGES) <= names, sorted(set(NOT_PAGES) - names)
