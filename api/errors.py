"""One error format for every 4xx: {"detail": "...", "errors": [{"field": "...", "message": "..."}]}.

Each exception the API can meet is mapped here: a missing or bad token (401), a record of another school (404), a
role without the capability (403), a request that does not match the schema (422, from pydantic through ninja), a
refusal by a service or a form (422, from Django's ValidationError) and a body that is not JSON (400).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from api.schemas import Error, ErrorItem

UNAUTHORISED = (
    "Send a valid API token in the Authorization header, as 'Authorization: Bearer <token>'. "
    "The token may be missing, mistyped or revoked."
)
NOT_FOUND = "No such record."
INVALID_REQUEST = "The request is not valid: see errors."
REFUSED = "The request was refused: see errors."
NOT_JSON = "The request body is not valid JSON (UTF-8, without unpaired surrogates)."

# ninja's location of a parameter (query, path, body); for a body, the second part is the parameter's name.
_LOCATIONS = {"query", "path", "body", "header", "cookie", "form", "file"}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors: Sequence[ErrorItem] = ()):
    response = api.create_response(request, Error(detail=detail, errors=list(errors)).model_dump(), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _field(loc: Sequence[Any], body_params: Iterable[str]) -> str:
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        if location == "body" and parts and parts[0] in body_params:
            parts.pop(0)
    return ".".join(str(part) for part in parts)


def validation_items(exc: NinjaValidationError, body_params: Iterable[str] = ("payload",)) -> list[ErrorItem]:
    items = []
    for error in exc.errors:
        message = str(error.get("msg", "Invalid value."))
        message = message.removeprefix("Value error, ")
        items.append(ErrorItem(field=_field(error.get("loc", ()), body_params), message=message))
    return items


def django_validation_items(exc: DjangoValidationError) -> list[ErrorItem]:
    if hasattr(exc, "error_dict"):
        return [
            ErrorItem(field="" if name == NON_FIELD_ERRORS else name, message=message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [ErrorItem(field="", message=message) for message in exc.messages]


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, UNAUTHORISED)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, str(exc) or "Your role does not allow this.")

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(api, request, 422, INVALID_REQUEST, validation_items(exc))

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return error_response(api, request, 422, REFUSED, django_validation_items(exc))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = NOT_JSON if exc.status_code == 400 else str(exc)
        return error_response(api, request, exc.status_code, detail)


def _check_text(value: Any) -> None:
    """Refuse text that is not Unicode the database can store: an unpaired surrogate ("\\ud800") is valid JSON but
    not UTF-8. (NUL characters are refused field by field, by the schemas' Text type.)"""
    if isinstance(value, str):
        value.encode("utf-8")  # raises UnicodeEncodeError on an unpaired surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class StrictJSONParser(Parser):
    """JSON bodies only, and only text that is valid Unicode; anything else is a 400 (ninja turns the error into
    HttpError(400), mapped above)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body.decode("utf-8"))
        _check_text(data)
        return data
