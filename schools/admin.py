"""The Django admin holds reference data only.

School data (schools, school years, terms, non-school days, staff roles) is managed in the app itself,
through pages that check the user's role at the school (schools/access.py). Registering those models here
would bypass that check, so none of them is registered.
"""
