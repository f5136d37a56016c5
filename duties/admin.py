"""Statutory duties and the governing board's records are deliberately not in the Django admin.

The admin holds reference data only (docs/permissions.md). Duties carry pupils' personal data and change only
through duties.services, which keeps who did what, when and how; staff use the compliance page (/duties/).
"""
