"""Human-readable API documentation at ``v1/docs/``: the OpenAPI schema as a plain page.

Rendered on the server from the same schema ``v1/schema/`` serves (drf-spectacular), with
no script and nothing fetched from elsewhere: every endpoint, its methods, what it takes and
what it answers, with the shapes of the bodies. Public, like the schema itself.
"""
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings

from credential_app.rest.schema import SCHEMA_SETTINGS

METHODS = ("get", "post", "put", "patch", "delete")
MAX_DEPTH = 4  # nested object shapes shown; deeper ones are named only


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _shape(schema: dict, components: dict, depth=0) -> dict:
    """A body's shape for the template: a type, its fields (name, type, required, notes)."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        inner = components.get(name, {})
        return {"name": name, **(_shape(inner, components, depth) if depth < MAX_DEPTH
                                 else {"type": "object", "fields": []})}
    if schema.get("type") == "array":
        item = _shape(schema.get("items", {}), components, depth + 1)
        return {"type": "array", "items": item, "fields": []}
    fields = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop and "enum" in components.get(_ref_name(prop["$ref"]), {}):
            prop = {**prop, **components[_ref_name(prop["$ref"])]}  # values, not a name
            prop.pop("$ref")
        kind = (_ref_name(prop["$ref"]) if "$ref" in prop
                else "array of " + _ref_name(prop["items"]["$ref"])
                if prop.get("type") == "array" and "$ref" in prop.get("items", {})
                else prop.get("format") or prop.get("type") or "object")
        fields.append({"name": name, "type": kind, "required": name in required,
                       "read_only": prop.get("readOnly", False),
                       # an enum's description only lists its values again
                       "description": "" if prop.get("enum") else prop.get("description", ""),
                       "enum": prop.get("enum", ())})
    return {"type": schema.get("type", "object"), "fields": fields}


def _body(content: dict, components: dict):
    media = content.get("application/json") or next(iter(content.values()), None)
    return _shape(media["schema"], components) if media and "schema" in media else None


def operations(schema: dict) -> list[dict]:
    """Every (path, method) of the schema, in path order, ready for ``api_docs.html``."""
    components = schema.get("components", {}).get("schemas", {})
    out = []
    for path, item in sorted(schema.get("paths", {}).items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            request = operation.get("requestBody", {}).get("content", {})
            out.append({
                "id": operation.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                "description": operation.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"],
                                "required": p.get("required", False),
                                "type": p.get("schema", {}).get("format")
                                or p.get("schema", {}).get("type", ""),
                                "description": p.get("description", "")}
                               for p in operation.get("parameters", [])],
                "request": _body(request, components) if request else None,
                "responses": [{"status": status, "description": answer.get("description", ""),
                               "body": _body(answer.get("content", {}), components)}
                              for status, answer in sorted(operation["responses"].items())],
            })
    return out


def docs_view(api_patterns):
    """The docs page of exactly these URL patterns, as ``schema_view`` serves their schema."""
    @require_safe
    def api_docs(request):
        with patched_settings(SCHEMA_SETTINGS):
            # the public description, the same whoever asks (no per-user view of it)
            schema = SchemaGenerator(patterns=api_patterns).get_schema(request=None,
                                                                       public=True)
        return render(request, "credential_app/api_docs.html", {
            "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
            "title": SCHEMA_SETTINGS["TITLE"],
            "description": SCHEMA_SETTINGS["DESCRIPTION"],
            "operations": operations(schema),
        })
    return api_docs
