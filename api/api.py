"""The JSON API: django-ninja, version 1, at /api/v1/..., with its OpenAPI document at /api/openapi.json.

Every operation needs a token (api.auth.TokenAuth) and declares the statuses it can answer with, each 4xx in the one
error format of api.errors. docs/api.md describes it for the people who use it. There is no interactive docs page:
Swagger UI would need inline script, which the site's content security policy forbids.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from api.auth import TokenAuth
from api.errors import StrictJSONParser, install_error_handlers
from api.routes import duties, evidence, me, plans, pupils, suspensions

DESCRIPTION = (
    "Reintegrate's JSON API for schools: pupils, suspensions (with their computed return dates and running totals), "
    "reintegration plans, goals, success criteria, reviews, statutory tasks, and evidence from the MIS (behaviour "
    "and attendance). Authenticate with `Authorization: Bearer <token>`: each token belongs to one school and one "
    "role, and can do what that role can do on the pages. Lists take `limit` (1 to 200) and `offset`. Every 4xx "
    'answer is {"detail": "...", "errors": [{"field": "...", "message": "..."}]}. See docs/api.md.'
)


class ReintegrateAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """Operation ids are the endpoint functions' names, e.g. "suspension_list_read"."""
        name: str = operation.view_func.__name__
        return name


api = ReintegrateAPI(
    title="Reintegrate API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=TokenAuth(),
    parser=StrictJSONParser(),
)
install_error_handlers(api)

api.add_router("/v1", me.router)
api.add_router("/v1/pupils", pupils.router)
api.add_router("/v1/suspensions", suspensions.router)
api.add_router("/v1", suspensions.reference)
api.add_router("/v1/plans", plans.plans)
api.add_router("/v1/goals", plans.goals)
api.add_router("/v1/criteria", plans.criteria)
api.add_router("/v1/reviews", plans.reviews)
api.add_router("/v1/duties", duties.router)
api.add_router("/v1", evidence.router)
