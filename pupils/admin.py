"""Nothing about pupils is registered in the Django admin.

The admin is for reference data only (such as the DfE reason codes). Pupils and their contacts are
personal data: staff reach them through the pupil pages, where schools/access.py checks every role.
"""
