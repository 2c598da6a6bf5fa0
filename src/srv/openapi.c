/*
 * openapi.c - the OpenAPI 3 document of `embargo serve`, served at
 * /openapi.json (yente serves its own there; API-COMPAT.md).
 *
 * Hand-written to describe what src/srv/api.c really does: the paths it
 * routes, the parameters it reads (those it accepts and ignores say so), the
 * status codes it can answer and the shapes of its bodies. When api.c
 * changes, change this too: tests/integration/test_serve.py parses the
 * document, checks that its paths are exactly the ones the server routes,
 * and calls every operation to check the status it gets is one listed here.
 *
 * The JSON is written as JSON: OPENAPI_JSON(...) stringizes its argument,
 * so quotes need no escaping (the preprocessor escapes them) and nothing in
 * it is macro-expanded; whitespace between tokens collapses to one space.
 * It must keep parentheses balanced outside string literals (JSON has none).
 */
#include "util/compat.h"
#include <string.h>
#include "srv/api.h"

#define OPENAPI_JSON(...) #__VA_ARGS__

#ifndef EMB_VERSION_STRING
#define EMB_VERSION_STRING "unknown"
#endif

static const char doc[] =
    "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"embargo serve\",\"version\":\""
    EMB_VERSION_STRING "\","
    OPENAPI_JSON(
    "description": "Sanctions screening with the HTTP API of OpenSanctions yente (5.5), served by embargo. Differences from yente are listed in docs/SERVE.md. When the server runs with --api-key-file, every operation except /healthz needs `Authorization: Bearer <key>` and answers 401 without it."
    },
    "security": [{}, {"bearerAuth": []}],
    "tags": [
        {"name": "Matching"}, {"name": "Data access"}, {"name": "System information"}
    ],
    "paths": {
        "/match/{dataset}": {
            "post": {
                "tags": ["Matching"],
                "summary": "Query by example matcher",
                "operationId": "match",
                "description": "Screen a batch of up to 100 entity examples. Each result is an FtM entity with score, match and explanations. Header x-batch-size gives the number of queries.",
                "parameters": [
                    {"$ref": "#/components/parameters/dataset"},
                    {"name": "limit", "in": "query", "description": "Results per query.", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 5}},
                    {"name": "threshold", "in": "query", "description": "match = score >= threshold. embargo's default is 0.80 (yente: 0.70).", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.8}},
                    {"name": "cutoff", "in": "query", "description": "Results scoring at or below min(cutoff, threshold) are dropped.", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.7}},
                    {"name": "algorithm", "in": "query", "description": "best, logic-v1, logic-v2 or embargo (any case); all use embargo's scorer. Other names: 400.", "schema": {"type": "string", "default": "best"}},
                    {"name": "include_dataset", "in": "query", "description": "Restrict to these datasets within {dataset}.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "exclude_dataset", "in": "query", "description": "Remove these datasets.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "exclude_schema", "in": "query", "description": "Remove results of these schemata.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "topics", "in": "query", "description": "Keep results with any of these topics (every entity has sanction).", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "exclude_entity_ids", "in": "query", "description": "Entity ids, referents or list references to leave out (at most 50).", "schema": {"type": "array", "maxItems": 50, "items": {"type": "string"}}},
                    {"$ref": "#/components/parameters/changed_since"}
                ],
                "requestBody": {
                    "required": true,
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/EntityMatchQuery"},
                        "example": {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Choe Chun Sik"], "birthDate": ["1954"], "nationality": ["kp"]}}}}
                    }}
                },
                "responses": {
                    "200": {"description": "One response per query key.",
                            "headers": {"x-batch-size": {"description": "Number of queries in the batch.", "schema": {"type": "integer"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntityMatchResponse"}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "413": {"description": "Request body larger than 1 MiB.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
                    "422": {"$ref": "#/components/responses/ValidationError"},
                    "500": {"$ref": "#/components/responses/ServerError"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/search/{dataset}": {
            "get": {
                "tags": ["Matching"],
                "summary": "Simple entity search",
                "operationId": "search",
                "description": "Rank entities by name with embargo's matcher (no full-text index); without q, list the entities that pass the filters. facets counts values over every result that passes the filters, not only the returned page.",
                "parameters": [
                    {"$ref": "#/components/parameters/dataset"},
                    {"name": "q", "in": "query", "description": "Query text (a name).", "schema": {"type": "string", "default": ""}},
                    {"name": "schema", "in": "query", "description": "Types of entities that can match. Unknown: 400 Invalid schema.", "schema": {"type": "string", "default": "Thing"}},
                    {"name": "countries", "in": "query", "description": "Filter by country code (nationality, address country or flag).", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "topics", "in": "query", "description": "Filter by topic.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "datasets", "in": "query", "description": "Filter by dataset name.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "filter_op", "in": "query", "description": "How several values of countries, topics, datasets or filter combine.", "schema": {"type": "string", "enum": ["OR", "AND"], "default": "OR"}},
                    {"name": "include_dataset", "in": "query", "description": "Restrict to these datasets within {dataset}.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "exclude_dataset", "in": "query", "description": "Remove these datasets.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "exclude_schema", "in": "query", "description": "Remove results of these schemata.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"$ref": "#/components/parameters/changed_since"},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 500, "default": 10}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 9499, "default": 0}},
                    {"name": "facets", "in": "query", "description": "Facet counts to include in the response.", "schema": {"type": "array", "items": {"type": "string", "enum": ["datasets", "schema", "countries", "identifiers", "topics", "genders"]}, "default": ["countries", "topics", "datasets"]}},
                    {"name": "filter", "in": "query", "description": "prop:value: entities whose FtM property prop has value (case-insensitive). Without a property or a value: 400 Invalid filter.", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "sort", "in": "query", "description": "Accepted and ignored by embargo (results are ranked by score).", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "fuzzy", "in": "query", "description": "Accepted and ignored by embargo.", "schema": {"type": "boolean", "default": false}},
                    {"name": "simple", "in": "query", "description": "Accepted and ignored by embargo.", "schema": {"type": "boolean", "default": false}}
                ],
                "responses": {
                    "200": {"description": "Results, facets and the total.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "422": {"$ref": "#/components/responses/ValidationError"},
                    "500": {"$ref": "#/components/responses/ServerError"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/entities/{entity_id}": {
            "get": {
                "tags": ["Data access"],
                "summary": "Fetch an entity",
                "operationId": "fetch_entity",
                "description": "By embargo id (un-6908500), OpenSanctions-style UN id (unsc-6908500) or list reference (KPi.013). No redirects: ids are never merged.",
                "parameters": [
                    {"$ref": "#/components/parameters/entity_id"},
                    {"name": "nested", "in": "query", "description": "Accepted; embargo holds no adjacent entities to nest, so the answer is the same either way.", "schema": {"type": "boolean", "default": true}}
                ],
                "responses": {
                    "200": {"description": "The entity.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntityResponse"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/entities/{entity_id}/adjacent": {
            "get": {
                "tags": ["Data access"],
                "summary": "Fetch adjacent entities",
                "operationId": "fetch_adjacent_entities",
                "description": "yente's shape. embargo's lists hold no links to other entities that it can return (docs/SERVE.md), so adjacent is always empty.",
                "parameters": [
                    {"$ref": "#/components/parameters/entity_id"},
                    {"$ref": "#/components/parameters/adj_limit"},
                    {"$ref": "#/components/parameters/adj_offset"},
                    {"$ref": "#/components/parameters/adj_sort"}
                ],
                "responses": {
                    "200": {"description": "The entity and its adjacent entities by property (none).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntityAdjacentResponse"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "422": {"$ref": "#/components/responses/ValidationError"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/entities/{entity_id}/adjacent/{property_name}": {
            "get": {
                "tags": ["Data access"],
                "summary": "Fetch adjacent entities by property",
                "operationId": "fetch_adjacent_by_prop",
                "description": "property_name must be an entity-typed property of the entity's FtM schema (e.g. sanctions, ownershipOwner, familyPerson), else 404 No such property!. Results are always empty (see /entities/{entity_id}/adjacent).",
                "parameters": [
                    {"$ref": "#/components/parameters/entity_id"},
                    {"name": "property_name", "in": "path", "required": true, "schema": {"type": "string"}, "example": "sanctions"},
                    {"$ref": "#/components/parameters/adj_limit"},
                    {"$ref": "#/components/parameters/adj_offset"},
                    {"$ref": "#/components/parameters/adj_sort"}
                ],
                "responses": {
                    "200": {"description": "One page of adjacent entities (none).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AdjacentResultsResponse"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "422": {"$ref": "#/components/responses/ValidationError"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/catalog": {
            "get": {
                "tags": ["System information"],
                "summary": "Datasets served",
                "operationId": "catalog",
                "description": "default (all lists) and one dataset per loaded list.",
                "parameters": [{"$ref": "#/components/parameters/if_none_match"}],
                "responses": {
                    "200": {"$ref": "#/components/responses/Catalog"},
                    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/manifest": {
            "get": {
                "tags": ["System information"],
                "summary": "Datasets served (alias of /catalog)",
                "operationId": "manifest",
                "parameters": [{"$ref": "#/components/parameters/if_none_match"}],
                "responses": {
                    "200": {"$ref": "#/components/responses/Catalog"},
                    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/algorithms": {
            "get": {
                "tags": ["System information"],
                "summary": "Scoring algorithms",
                "operationId": "algorithms",
                "responses": {
                    "200": {"description": "One algorithm, embargo; default and best name it.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlgorithmResponse"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/healthz": {
            "get": {
                "tags": ["System information"],
                "summary": "Liveness (no authentication)",
                "operationId": "healthz",
                "security": [],
                "responses": {
                    "200": {"description": "Alive.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StatusResponse"}}}}
                }
            }
        },
        "/readyz": {
            "get": {
                "tags": ["System information"],
                "summary": "Readiness and the served list version",
                "operationId": "readyz",
                "responses": {
                    "200": {"description": "Lists loaded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReadyResponse"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/updatez": {
            "post": {
                "tags": ["System information"],
                "summary": "Reload the lists",
                "operationId": "updatez",
                "description": "Rebuild the list set from the same sources and swap it in; requests in flight finish on the old set. Always synchronous. Needs --update-token-file; without it every call is 403.",
                "parameters": [
                    {"name": "token", "in": "query", "description": "The update token.", "schema": {"type": "string"}},
                    {"name": "sync", "in": "query", "description": "Accepted and ignored (reloads are always synchronous).", "schema": {"type": "boolean", "default": false}}
                ],
                "responses": {
                    "200": {"description": "Reloaded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateResponse"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "403": {"description": "Invalid token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
                    "500": {"description": "The reload failed; the previous lists keep serving.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        },
        "/metrics": {
            "get": {
                "tags": ["System information"],
                "summary": "Prometheus metrics",
                "operationId": "metrics",
                "responses": {
                    "200": {"description": "Prometheus text exposition format 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"}
                }
            }
        },
        "/openapi.json": {
            "get": {
                "tags": ["System information"],
                "summary": "This document",
                "operationId": "openapi",
                "responses": {
                    "200": {"description": "OpenAPI 3 document.", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"}
                }
            }
        },
        "/": {
            "get": {
                "tags": ["System information"],
                "summary": "The analyst page",
                "operationId": "page",
                "responses": {
                    "200": {"description": "HTML page.", "content": {"text/html": {"schema": {"type": "string"}}}},
                    "401": {"$ref": "#/components/responses/Unauthorized"},
                    "503": {"$ref": "#/components/responses/NotReady"}
                }
            }
        }
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "Only when the server runs with --api-key-file."}
        },
        "parameters": {
            "dataset": {"name": "dataset", "in": "path", "required": true, "description": "default or sanctions (every list), or one dataset from /catalog (un_sc_sanctions for the UN list). Unknown: 404 No such dataset.", "schema": {"type": "string"}, "example": "default"},
            "entity_id": {"name": "entity_id", "in": "path", "required": true, "description": "Entity id, unsc-<DATAID> or list reference. Unknown: 404 No such entity!", "schema": {"type": "string"}, "example": "un-6908500"},
            "changed_since": {"name": "changed_since", "in": "query", "description": "Only entities changed on or after this date: YYYY-MM-DD[THH[:MM[:SS]]], else 422.", "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2})?)?)?$"}},
            "adj_limit": {"name": "limit", "in": "query", "description": "Results per property.", "schema": {"type": "integer", "minimum": 0, "maximum": 500, "default": 10}},
            "adj_offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 9499, "default": 0}},
            "adj_sort": {"name": "sort", "in": "query", "description": "Accepted; there is nothing to sort.", "schema": {"type": "array", "items": {"type": "string"}}},
            "if_none_match": {"name": "If-None-Match", "in": "header", "description": "An ETag from an earlier answer: 304 when unchanged.", "schema": {"type": "string"}}
        },
        "responses": {
            "BadRequest": {"description": "Invalid query, schema, algorithm, configuration or batch; or malformed JSON (Invalid JSON at byte N).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
            "Unauthorized": {"description": "Not authenticated (only with --api-key-file).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
            "NotFound": {"description": "No such dataset, entity or property.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
            "ValidationError": {"description": "A parameter or body field failed validation.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}},
            "ServerError": {"description": "Server error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
            "NotReady": {"description": "Index not ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}},
            "Catalog": {"description": "The datasets.", "headers": {"ETag": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DataCatalogModel"}}}}
        },
        "schemas": {
            "ErrorResponse": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
            "ValidationError": {"type": "object", "required": ["loc", "msg", "type"], "properties": {
                "loc": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
                "msg": {"type": "string"}, "type": {"type": "string"}}},
            "HTTPValidationError": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}}},
            "TotalSpec": {"type": "object", "required": ["value", "relation"], "properties": {"value": {"type": "integer"}, "relation": {"type": "string", "example": "eq"}}},
            "EntityResponse": {"type": "object", "required": ["id", "caption", "schema", "properties", "datasets", "referents", "target"], "properties": {
                "id": {"type": "string", "example": "un-6908500"},
                "caption": {"type": "string"},
                "schema": {"type": "string", "example": "Person"},
                "properties": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                "datasets": {"type": "array", "items": {"type": "string"}},
                "referents": {"type": "array", "items": {"type": "string"}},
                "target": {"type": "boolean"},
                "first_seen": {"type": "string", "format": "date-time", "nullable": true},
                "last_seen": {"type": "string", "format": "date-time", "nullable": true},
                "last_change": {"type": "string", "format": "date-time", "nullable": true}}},
            "SearchResult": {"allOf": [{"$ref": "#/components/schemas/EntityResponse"}, {"type": "object", "properties": {"score": {"type": "number", "description": "Name score, when q was given."}}}]},
            "FeatureResult": {"type": "object", "properties": {"detail": {"type": "string", "nullable": true}, "score": {"type": "number"}, "query": {"type": "string", "nullable": true}, "candidate": {"type": "string", "nullable": true}}},
            "ScoredEntityResponse": {"allOf": [{"$ref": "#/components/schemas/EntityResponse"}, {"type": "object", "required": ["score", "match", "explanations"], "properties": {
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "match": {"type": "boolean"},
                "explanations": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FeatureResult"}},
                "features": {"type": "object", "description": "Deprecated in yente; kept for older clients.", "additionalProperties": {"type": "number"}}}}]},
            "EntityExample": {"type": "object", "required": ["schema"], "properties": {
                "id": {"type": "string", "nullable": true},
                "schema": {"type": "string", "example": "Person"},
                "properties": {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {}}]}}}},
            "EntityMatchQuery": {"type": "object", "required": ["queries"], "properties": {
                "queries": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/EntityExample"}},
                "weights": {"type": "object", "description": "Accepted and ignored.", "additionalProperties": {"type": "number"}},
                "config": {"type": "object", "description": "logic-v2 keys accepted and ignored; other keys: 400."}}},
            "MatchQueryEcho": {"type": "object", "properties": {
                "id": {"type": "string", "nullable": true}, "schema": {"type": "string"},
                "properties": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                "warnings": {"type": "array", "items": {"type": "string"}}}},
            "EntityMatches": {"type": "object", "required": ["status", "results", "total", "query"], "properties": {
                "status": {"type": "integer", "example": 200},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/ScoredEntityResponse"}},
                "total": {"$ref": "#/components/schemas/TotalSpec"},
                "query": {"$ref": "#/components/schemas/MatchQueryEcho"}}},
            "EntityMatchResponse": {"type": "object", "required": ["responses", "limit"], "properties": {
                "responses": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/EntityMatches"}},
                "limit": {"type": "integer"}}},
            "SearchFacetItem": {"type": "object", "required": ["name", "label", "count"], "properties": {"name": {"type": "string", "example": "kp"}, "label": {"type": "string", "example": "North Korea"}, "count": {"type": "integer"}}},
            "SearchFacet": {"type": "object", "required": ["label", "values"], "properties": {"label": {"type": "string", "example": "Countries"}, "values": {"type": "array", "items": {"$ref": "#/components/schemas/SearchFacetItem"}}}},
            "SearchResponse": {"type": "object", "required": ["results", "facets", "total", "limit", "offset"], "properties": {
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
                "facets": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/SearchFacet"}},
                "total": {"$ref": "#/components/schemas/TotalSpec"},
                "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
            "AdjacentResultsResponse": {"type": "object", "required": ["results", "total", "limit", "offset"], "properties": {
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/EntityResponse"}},
                "total": {"$ref": "#/components/schemas/TotalSpec"},
                "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
            "EntityAdjacentResponse": {"type": "object", "required": ["entity", "adjacent"], "properties": {
                "entity": {"$ref": "#/components/schemas/EntityResponse"},
                "adjacent": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/AdjacentResultsResponse"}}}},
            "LoadStatus": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok", "failed"]}, "at": {"type": "string", "nullable": true}, "error": {"type": "string", "nullable": true}}},
            "CatalogDataset": {"type": "object", "required": ["name", "version"], "properties": {
                "name": {"type": "string", "example": "un_sc_sanctions"}, "title": {"type": "string", "nullable": true},
                "version": {"type": "string"}, "updated_at": {"type": "string", "nullable": true},
                "children": {"type": "array", "items": {"type": "string"}}, "load": {"type": "boolean"},
                "index_version": {"type": "string"}, "index_current": {"type": "boolean"},
                "entity_count": {"type": "integer"}, "list_date": {"type": "string", "nullable": true},
                "content_hash": {"type": "string"}, "loaded_at": {"type": "string"},
                "last_load": {"$ref": "#/components/schemas/LoadStatus"}}},
            "DataCatalogModel": {"type": "object", "required": ["datasets", "current", "outdated", "index_stale"], "properties": {
                "datasets": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogDataset"}},
                "current": {"type": "array", "items": {"type": "string"}},
                "outdated": {"type": "array", "items": {"type": "string"}},
                "index_stale": {"type": "boolean"}}},
            "AlgorithmResponse": {"type": "object", "required": ["algorithms", "default", "best"], "properties": {
                "algorithms": {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "description": {"type": "string"}, "docs": {"type": "object"}, "features": {"type": "object"}}}},
                "default": {"type": "string"}, "best": {"type": "string"}}},
            "StatusResponse": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "example": "ok"}}},
            "ReadyResponse": {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "example": "ok"}, "list_date": {"type": "string", "nullable": true},
                "list_hash": {"type": "string"}, "entities": {"type": "integer"},
                "last_load": {"$ref": "#/components/schemas/LoadStatus"}}},
            "UpdateResponse": {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "example": "ok"}, "list_date": {"type": "string", "nullable": true},
                "list_hash": {"type": "string", "nullable": true}}}
        }
    }
    }   /* closes the document opened before OPENAPI_JSON */
    );

const char *emb_api_openapi(size_t *len)
{
    *len = sizeof(doc) - 1;
    return doc;
}
