"""API tokens: each belongs to one school and one role, and is subject to that role's capabilities.

Only a SHA-256 hash of a token is stored; the token itself is shown once, when it is created. A token is known by
its name and its first characters (`prefix`). Revoking keeps the row, so the audit trail can still name it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from schools.models import Role, School


class ApiToken(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="api_tokens")
    role = models.CharField(
        max_length=20, choices=Role.choices, help_text="The token can do what this role can do on the pages."
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'MIS nightly sync'.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, in hexadecimal.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member of staff who created it; what the token writes is recorded as theirs.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "revoked_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="api_token_role_is_a_school_role"),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"API token {self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
