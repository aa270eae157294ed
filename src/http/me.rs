//! `/api/me`: who the token belongs to and what it may write, so the map offers only the
//! tools the user may use (the service still checks every write).

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::extract::Actor;
use super::AppState;
use crate::domain::access::{may, Action};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/me", get(me))
}

/// 401 without a valid token; otherwise the user, department, role and rights.
async fn me(actor: Actor) -> Json<Value> {
    let u = &actor.0;
    let can = |a: Action| may(u.department, u.role, a);
    Json(json!({
        "name": u.name,
        "department": u.department,
        "role": u.role,
        "may": {
            "edit_register": can(Action::EditRegister),
            "record_soil_event": can(Action::RecordSoilEvent),
            "record_land_event": can(Action::RecordLandEvent),
        },
    }))
}
