"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of the OSDI API (public, no key needed).
tests/test_api.py checks that every route of the blueprint is described here, and nothing more."""

from campaign.web.hal import hal
from campaign.web.osdi.blueprint import MAX_PER_PAGE, bp

_ID = {"name": "petition_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 25},
    },
]
_ERRORS = {
    "401": {"$ref": "#/components/responses/Error"},
    "403": {"$ref": "#/components/responses/Error"},
    "429": {"$ref": "#/components/responses/Error"},
}


def _ok(description: str, schema: str | None = None) -> dict:
    content = (
        {"application/hal+json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}} if schema else {}
    )
    return {"description": description, **({"content": content} if content else {})}


PATHS = {
    "/api/v1/": {
        "get": {"summary": "Entry point (HAL links)", "responses": {"200": _ok("Links"), **_ERRORS}}
    },
    "/api/v1/petitions": {
        "get": {
            "summary": "Public petitions, paged",
            "parameters": _PAGING,
            "responses": {"200": _ok("osdi:petitions in _embedded", "Collection"), **_ERRORS},
        }
    },
    "/api/v1/petitions/{petition_id}": {
        "get": {
            "summary": "One petition",
            "parameters": [_ID],
            "responses": {
                "200": _ok("A petition", "Petition"),
                "404": {"$ref": "#/components/responses/Error"},
                **_ERRORS,
            },
        }
    },
    "/api/v1/petitions/{petition_id}/signatures": {
        "get": {
            "summary": "Confirmed signatures (and ones withdrawn since), oldest change first, paged",
            "parameters": [
                _ID,
                *_PAGING,
                {
                    "name": "filter",
                    "in": "query",
                    "description": "OData subset: modified_date gt|ge|lt|le|eq 'ISO 8601', joined with and",
                    "example": "modified_date gt '2026-11-30T12:00:00Z'",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {"200": _ok("osdi:signatures in _embedded", "Collection"), **_ERRORS},
        },
        "post": {
            "summary": "Record-signature helper: the sign form's rules, then the double opt-in mail",
            "parameters": [
                _ID,
                {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 255}},
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordSignature"}}},
            },
            "responses": {
                "201": _ok("Stored, pending until the supporter confirms by email", "Signature"),
                "200": _ok("This address had signed: that signature", "Signature"),
                "400": {"$ref": "#/components/responses/Error"},
                "410": {"$ref": "#/components/responses/Error"},
                "422": {"$ref": "#/components/responses/Error"},
                **_ERRORS,
            },
        },
    },
    "/api/v1/petitions/{petition_id}/signatures/{signature_id}": {
        "get": {
            "summary": "One signature",
            "parameters": [
                _ID,
                {"name": "signature_id", "in": "path", "required": True, "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": _ok("A signature", "Signature"),
                "404": {"$ref": "#/components/responses/Error"},
                **_ERRORS,
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {"summary": "This description", "security": [], "responses": {"200": _ok("OpenAPI")}}
    },
}

_PERSON = {
    "type": "object",
    "properties": {
        "given_name": {"type": "string"},
        "family_name": {"type": "string"},
        "email_addresses": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "address": {"type": "string"},
                    "primary": {"type": "boolean"},
                    "status": {
                        "enum": ["subscribed", "unsubscribed"],
                        "description": "subscribed: newsletter",
                    },
                },
            },
        },
        "postal_addresses": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"postal_code": {"type": "string"}, "country": {"type": "string"}},
            },
        },
        "languages_spoken": {"type": "array", "items": {"type": "string"}},
    },
}

SPEC = {
    "openapi": "3.1.0",
    "info": {
        "title": "Petities OSDI API",
        "version": "1.2",
        "description": "OSDI 1.2-shaped HAL+JSON. Send your key in the OSDI-API-Token header.",
    },
    "security": [{"osdiToken": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"osdiToken": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}},
        "responses": {
            "Error": {
                "description": "JSON error with a message",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "error": {"type": "string"},
                                "message": {"type": "string"},
                                "response_code": {"type": "integer"},
                            },
                        }
                    }
                },
            }
        },
        "schemas": {
            "Collection": {
                "type": "object",
                "properties": {
                    "total_pages": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "page": {"type": "integer"},
                    "total_records": {"type": "integer"},
                    "_links": {"type": "object"},
                    "_embedded": {"type": "object"},
                },
            },
            "Petition": {
                "type": "object",
                "properties": {
                    "identifiers": {"type": "array", "items": {"type": "string"}},
                    "title": {"type": "string"},
                    "total_signatures": {"type": "integer"},
                    "browser_url": {"type": "string"},
                    "target": {"type": "array", "items": {"type": "object"}},
                    "_links": {"type": "object"},
                },
            },
            "Signature": {
                "type": "object",
                "properties": {
                    "identifiers": {"type": "array", "items": {"type": "string"}},
                    "created_date": {"type": "string"},
                    "modified_date": {"type": "string"},
                    "status": {"enum": ["pending", "confirmed", "withdrawn", "invalidated"]},
                    "person": _PERSON,
                },
            },
            "RecordSignature": {
                "type": "object",
                "required": ["person", "consent"],
                "properties": {
                    "person": _PERSON,
                    "consent": {
                        "const": True,
                        "description": "The supporter agreed to the processing (as the form's box)",
                    },
                    "comments": {"type": "string", "maxLength": 1000},
                },
            },
        },
    },
}


@bp.get("/openapi.json")
def openapi():
    response = hal(SPEC)
    response.mimetype = "application/json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
