"""The app's REST API (Django REST framework), versioned under ``/api/credentials/v1/``.

Views call ``credential_app.api`` (the report views read ``credential_app.reports``, and the
serializers take their limits from the core); serializers describe the API's data classes so
the OpenAPI schema (drf-spectacular) says exactly what each endpoint returns.
"""
