//! The OpenAPI 3.0 description of `/ogc`, generated from the collections.

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::collections::COLLECTIONS;
use super::items::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::gis::cql2::QType;

pub fn schema_of(t: QType) -> Value {
    match t {
        QType::Text => json!({"type": "string"}),
        QType::Integer => json!({"type": "integer"}),
        QType::Number => json!({"type": "number"}),
        QType::Boolean => json!({"type": "boolean"}),
        QType::Date => json!({"type": "string", "format": "date"}),
        QType::Timestamp => json!({"type": "string", "format": "date-time"}),
    }
}

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn responses(content: &str) -> Value {
    json!({
        "200": {"description": "OK", "content": {content: {"schema": {"type": "object"}}}},
        "400": {"description": "Invalid parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}},
        "404": {"description": "Not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}},
    })
}

fn f_param() -> Value {
    param(
        "f",
        "Output format",
        json!({"type": "string", "enum": ["json", "html"]}),
    )
}

fn get(summary: &str, id: &str, params: Vec<Value>, content: &str) -> Value {
    json!({"get": {"summary": summary, "operationId": id, "parameters": params, "responses": responses(content)}})
}

/// `GET /ogc/api`.
pub async fn document(headers: HeaderMap) -> Response {
    let base = super::base_url(&headers);
    let mut paths = Map::new();
    paths.insert(
        "/ogc".into(),
        get(
            "Landing page",
            "landing",
            vec![f_param()],
            "application/json",
        ),
    );
    paths.insert(
        "/ogc/conformance".into(),
        get(
            "Conformance classes",
            "conformance",
            vec![f_param()],
            "application/json",
        ),
    );
    paths.insert(
        "/ogc/api".into(),
        get(
            "This document",
            "api",
            vec![],
            "application/vnd.oai.openapi+json;version=3.0",
        ),
    );
    paths.insert(
        "/ogc/collections".into(),
        get(
            "Collections",
            "collections",
            vec![f_param()],
            "application/json",
        ),
    );
    for c in COLLECTIONS {
        let id = c.id.replace('-', "_");
        paths.insert(
            format!("/ogc/collections/{}", c.id),
            get(
                c.title,
                &format!("describe_{id}"),
                vec![f_param()],
                "application/json",
            ),
        );
        paths.insert(
            format!("/ogc/collections/{}/queryables", c.id),
            get(
                "Queryables",
                &format!("queryables_{id}"),
                vec![f_param()],
                "application/schema+json",
            ),
        );
        let mut params = vec![
            param(
                "limit",
                "Page size",
                json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
            ),
            json!({"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                   "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}}),
            param(
                "bbox-crs",
                "CRS of bbox (URI)",
                json!({"type": "string", "enum": super::crs_list()}),
            ),
            param(
                "crs",
                "Output CRS (URI)",
                json!({"type": "string", "enum": super::crs_list()}),
            ),
            param(
                "datetime",
                "RFC 3339 instant or interval",
                json!({"type": "string"}),
            ),
            param(
                "cursor",
                "Continue after this key (from a next link)",
                json!({"type": "integer"}),
            ),
            param(
                "before",
                "Go back before this key (from a prev link)",
                json!({"type": "integer"}),
            ),
            param("filter", "CQL2 text filter", json!({"type": "string"})),
            param(
                "filter-lang",
                "Filter language",
                json!({"type": "string", "enum": ["cql2-text"]}),
            ),
            param(
                "filter-crs",
                "CRS of geometries in the filter",
                json!({"type": "string", "enum": super::crs_list()}),
            ),
            param(
                "coords",
                "gcj02: offset positions for AMap/Tencent basemaps (CRS84 output only)",
                json!({"type": "string", "enum": ["gcj02"]}),
            ),
            param(
                "f",
                "Output format",
                json!({"type": "string", "enum": ["json", "geojson"]}),
            ),
        ];
        params.extend(
            c.queryables.iter().map(|(name, _, ty)| {
                param(name, "Equality filter on this property", schema_of(*ty))
            }),
        );
        paths.insert(
            format!("/ogc/collections/{}/items", c.id),
            get(
                "Features",
                &format!("items_{id}"),
                params,
                "application/geo+json",
            ),
        );
        let mut one = get(
            "One feature",
            &format!("item_{id}"),
            vec![
                param(
                    "crs",
                    "Output CRS (URI)",
                    json!({"type": "string", "enum": super::crs_list()}),
                ),
                param(
                    "coords",
                    "gcj02 offset",
                    json!({"type": "string", "enum": ["gcj02"]}),
                ),
                param(
                    "f",
                    "Output format",
                    json!({"type": "string", "enum": ["json", "geojson"]}),
                ),
            ],
            "application/geo+json",
        );
        if let Some(list) = one["get"]["parameters"].as_array_mut() {
            list.push(json!({"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        paths.insert(
            format!("/ogc/collections/{}/items/{{featureId}}", c.id),
            one,
        );
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "soilreg OGC API – Features", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Parcels, sampling points, closed-factory sites, key units and ledgers of the district."},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"schemas": {"error": {"type": "object", "required": ["error"],
            "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}
    });
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/vnd.oai.openapi+json;version=3.0",
        )],
        Json(doc),
    )
        .into_response()
}
