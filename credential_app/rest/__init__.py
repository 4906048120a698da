"""The app's REST API (Django REST framework), versioned under ``/api/credentials/v1/``.

Views call only ``credential_app.api``; serializers describe its data classes so
the OpenAPI schema (drf-spectacular) says exactly what each endpoint returns.
"""
