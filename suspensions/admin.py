"""The Django admin holds reference data only: the DfE reason codes. Suspensions are recorded in the app."""

from __future__ import annotations

from django.contrib import admin

from suspensions.models import ReasonCode


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "valid_from", "valid_to")
    search_fields = ("code", "description")
    ordering = ("code", "-valid_from")
