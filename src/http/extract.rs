//! Own extractors, so that a bad body, query or token gets the one error shape.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use serde_json::Value;

use super::AppState;
use crate::db::users::{self, User};
use crate::domain::access::{may, Action};
use crate::error::ApiError;

/// A JSON body: 415 without a JSON content type, 413 over the size limit, 400 when malformed.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|ct| ct == "application/json" || ct.ends_with("+json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON (Content-Type: application/json or application/geo+json)",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "the request body is over the size limit",
                )
            } else {
                ApiError::bad_request("unreadable_body", "the request body could not be read")
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            ApiError::bad_request(
                "malformed_json",
                format!("malformed JSON at line {}, column {}", e.line(), e.column()),
            )
        })
    }
}

/// Query parameters, refusing any not in the handler's list.
pub struct Params(pub HashMap<String, String>);

impl Params {
    pub fn from_uri(uri: &Uri, allowed: &[&str]) -> Result<Self, ApiError> {
        let Query(map) = Query::<HashMap<String, String>>::try_from_uri(uri)
            .map_err(|_| ApiError::bad_request("invalid_query", "the query string is malformed"))?;
        // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
        if let Some((k, _)) = map
            .iter()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                "query parameters may not contain NUL characters",
            )
            .with_field(k.replace('\0', "")));
        }
        if let Some(k) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(ApiError::bad_request(
                "unknown_parameter",
                format!("unknown query parameter '{k}'"),
            )
            .with_field(k.clone()));
        }
        Ok(Params(map))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Parses one parameter, answering 400 naming it when it does not parse.
    pub fn parse<T>(
        &self,
        key: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, ApiError> {
        self.get(key)
            .map(|v| {
                parse(v).ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_parameter",
                        format!("invalid value for '{key}': {v}"),
                    )
                    .with_field(key)
                })
            })
            .transpose()
    }
}

/// The user making a write, from `Authorization: Bearer TOKEN`.
pub struct Actor(pub User);

impl Actor {
    /// 403 unless the user's department and role allow the action.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if may(self.0.department, self.0.role, action) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{} ({}, {:?}) may not {:?}",
                self.0.name,
                self.0.department.code(),
                self.0.role,
                action
            )))
        }
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        users::by_token(&state.pool, token)
            .await?
            .map(Actor)
            .ok_or_else(ApiError::unauthorized)
    }
}

/// An optional user: no `Authorization` header is `None`; a bad token is still 401.
impl axum::extract::OptionalFromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts.headers.get(AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <Actor as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

/// The ETag of a record's version: `"3"`.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version named by an `If-Match` / `If-None-Match` value (`"3"` or `W/"3"`).
pub fn version_of(value: &str) -> Option<i32> {
    value
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .ok()
}

/// The version an edit expects: `If-Match` is required (428) and must be an ETag (400).
pub fn required_if_match(headers: &axum::http::HeaderMap) -> Result<i32, ApiError> {
    headers
        .get(axum::http::header::IF_MATCH)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "if_match_required",
                "an edit needs If-Match with the record's ETag",
            )
        })?
        .to_str()
        .ok()
        .and_then(version_of)
        .ok_or_else(|| {
            ApiError::bad_request("invalid_if_match", "If-Match must be an ETag such as \"3\"")
        })
}

/// Percent-encodes a query component for a paging link; commas stay literal so
/// `bbox=a,b,c,d` reads back as written.
pub fn query_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
