//! The JSON envelope of every answer, success or failure, and its HTTP status and headers.

use lambda_http::{http::HeaderValue, Body, Response};
use serde_json::{json, Map, Value};

use crate::errors::ApiError;

/// What a handler answers on success: the `DATA` member and, rarely, extra top-level members
/// (the FAQ list puts its next-page token in a top-level `PAGINATION`).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub data: Value,
    pub extra: Map<String, Value>,
}

impl Reply {
    pub fn new(data: Value) -> Self {
        Reply { data, extra: Map::new() }
    }

    /// `{"COMMENT": "Operation successful!"}` plus the given members.
    pub fn operation_successful() -> Self {
        Reply::new(json!({"COMMENT": "Operation successful!"}))
    }

    pub fn with_top_level(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_owned(), value);
        self
    }
}

fn request_member(action: &str, ok: bool) -> Value {
    json!({"VERSION": "1.0", "ACTION": action, "STATUS": if ok { "OK" } else { "FAILED" }})
}

/// The success envelope as JSON.
pub fn ok_body(action: &str, reply: Reply) -> Value {
    let mut top = Map::new();
    top.insert("REQUEST".into(), request_member(action, true));
    top.insert("DATA".into(), reply.data);
    top.extend(reply.extra);
    Value::Object(top)
}

/// The failure envelope as JSON. `ERRORS.CODE` always equals the HTTP status.
pub fn error_body(action: &str, err: &ApiError, request_id: &str) -> Value {
    let mut errors = Map::new();
    errors.insert("CODE".into(), json!(err.status));
    if let Some(id) = &err.id {
        errors.insert("ID".into(), json!(id));
    }
    let details = if err.status >= 500 {
        // Only the generic text reaches the client, with the id to quote when asking for help.
        let internal = crate::errors::INTERNAL;
        format!("{} (request id {request_id}) (MPS{})", internal.text, internal.mps)
    } else {
        err.details.clone()
    };
    errors.insert("DETAILS".into(), json!(details));
    json!({"REQUEST": request_member(action, false), "ERRORS": errors})
}

/// An HTTP response with a JSON body, the request id and, for 429, `Retry-After`.
pub fn http_response(status: u16, body: &Value, request_id: &str, retry_after: Option<u64>) -> Response<Body> {
    http_response_with(status, body, request_id, retry_after, None)
}

/// [`http_response`] with an `Allow` header (405).
pub fn http_response_with(status: u16, body: &Value, request_id: &str, retry_after: Option<u64>, allow: Option<&str>) -> Response<Body> {
    let mut resp = Response::new(Body::Text(body.to_string()));
    *resp.status_mut() = lambda_http::http::StatusCode::from_u16(status).unwrap_or(lambda_http::http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", v);
    }
    if let Some(secs) = retry_after {
        headers.insert("retry-after", HeaderValue::from(secs));
    }
    if let Some(v) = allow.and_then(|a| HeaderValue::from_str(a).ok()) {
        headers.insert("allow", v);
    }
    resp
}

pub fn ok(action: &str, reply: Reply, request_id: &str) -> Response<Body> {
    http_response(200, &ok_body(action, reply), request_id, None)
}

/// `Retry-After` of a 429 that names no wait of its own (a refusal that waiting does not lift,
/// such as "already rated"): every 429 carries the header, as the contract says, with a long
/// wait so that a client obeying it does not retry in a loop.
pub const DEFAULT_RETRY_AFTER: u64 = 3600;

pub fn fail(action: &str, err: &ApiError, request_id: &str) -> Response<Body> {
    let retry_after = err.retry_after.or((err.status == 429).then_some(DEFAULT_RETRY_AFTER));
    http_response_with(err.status, &error_body(action, err, request_id), request_id, retry_after, err.allow.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors;

    #[test]
    fn failure_envelope_has_code_id_and_details() {
        let v = error_body("core_contact_create", &errors::contact::FLNM_REQUIRED.err(), "r1");
        assert_eq!(
            v,
            json!({"REQUEST":{"VERSION":"1.0","ACTION":"core_contact_create","STATUS":"FAILED"},
                   "ERRORS":{"CODE":400,"ID":"flnm_required","DETAILS":"User's fullname is required (MPS350620348189637)"}})
        );
    }

    #[test]
    fn internal_errors_show_only_the_generic_text() {
        let err = ApiError::internal("table support-x does not exist");
        let v = error_body("a", &err, "req-9");
        let details = v["ERRORS"]["DETAILS"].as_str().unwrap();
        assert!(details.contains("req-9") && !details.contains("support-x"));
        assert!(details.ends_with(&format!("(MPS{})", errors::INTERNAL.mps)), "{details}");
    }

    #[test]
    fn every_429_has_retry_after_and_405_has_allow() {
        let r = fail("a", &errors::faq::RATING_ALREADY_RATED.err(), "r");
        assert_eq!(r.headers()["retry-after"], DEFAULT_RETRY_AFTER.to_string().as_str());
        let r = fail("a", &errors::METHOD_NOT_ALLOWED.err().with_allow(&["DELETE", "GET"]), "r");
        assert_eq!((r.status().as_u16(), r.headers()["allow"].to_str().unwrap()), (405, "DELETE, GET"));
    }

    #[test]
    fn retry_after_header_is_set() {
        let r = fail("a", &errors::faq::TOGGLE_RATE_LIMITED.err().with_retry_after(42), "r");
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "42");
        assert_eq!(r.headers()["x-request-id"], "r");
    }
}
