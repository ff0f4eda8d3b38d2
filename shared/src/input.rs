//! Request parsing: JSON bodies, query strings, caller IP and request id. Bad input becomes a 400
//! with a field id, never a panic or a 500.

use lambda_http::{request::RequestContext, Body, Request, RequestExt};
use serde_json::{Map, Value};

use crate::errors::{self, ApiError, Spec};

/// Default upper bound for free-text fields, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Upper bound for short fields (names, ids, subjects), in characters.
pub const MAX_SHORT: usize = 256;

/// The raw body bytes (as sent; base64 bodies already decoded by the runtime).
pub fn raw_body(req: &Request) -> &[u8] {
    match req.body() {
        Body::Empty => &[],
        Body::Text(s) => s.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    }
}

/// A parsed JSON object body. An empty body counts as `{}`.
#[derive(Debug, Clone, Default)]
pub struct JsonBody(pub Map<String, Value>);

impl JsonBody {
    pub fn parse(req: &Request) -> Result<Self, ApiError> {
        Self::from_bytes(raw_body(req))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(JsonBody::default());
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(JsonBody(map)),
            Ok(_) => Err(errors::BODY_INVALID.err().with_log("body is not a JSON object")),
            Err(e) => Err(errors::BODY_INVALID.err().with_log(format!("invalid JSON: {e}"))),
        }
    }

    /// The value of a field; `null` counts as absent.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// Whether the field is present (and not `null`).
    pub fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// An optional string, exactly as sent. Absent, `null`, empty or white space only -> `None`.
    /// A non-string -> `<name>_invalid`; over `max_chars` characters -> `<name>_too_long`.
    pub fn opt_str(&self, name: &str, max_chars: usize) -> Result<Option<String>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(s)) => check_str(name, s, max_chars),
            Some(_) => Err(ApiError::invalid_field(name, "expected a string")),
        }
    }

    /// A required string; missing or blank -> `missing`.
    pub fn req_str(&self, name: &str, max_chars: usize, missing: &Spec) -> Result<String, ApiError> {
        self.opt_str(name, max_chars)?.ok_or_else(|| missing.err())
    }

    /// An optional boolean; anything else than `true`/`false` -> `<name>_invalid`.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid_field(name, "expected true or false")),
        }
    }

    /// An optional integer; strings, fractions and out-of-range numbers -> `<name>_invalid`.
    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| ApiError::invalid_field(name, "expected an integer")),
            Some(_) => Err(ApiError::invalid_field(name, "expected an integer")),
        }
    }

    /// An optional array; anything else -> `<name>_invalid`.
    pub fn opt_array(&self, name: &str) -> Result<Option<&Vec<Value>>, ApiError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(ApiError::invalid_field(name, "expected an array")),
        }
    }
}

fn check_str(name: &str, s: &str, max_chars: usize) -> Result<Option<String>, ApiError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max_chars {
        return Err(ApiError::field_too_long(name, max_chars));
    }
    Ok(Some(s.to_owned()))
}

/// The query string as name/value pairs, decoded (`+` read as a space), in wire order.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn from_request(req: &Request) -> Self {
        Query::parse(raw_query(req))
    }

    pub fn parse(raw: &str) -> Self {
        Query(crate::auth::decode_query(raw))
    }

    /// The first value of a parameter, exactly as decoded.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first value of a parameter, trimmed; empty counts as absent. Over `max_chars`
    /// characters -> `<name>_too_long`.
    pub fn get(&self, name: &str, max_chars: usize) -> Result<Option<String>, ApiError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => check_str(name, v.trim(), max_chars),
        }
    }
}

/// The raw query string the client sent (without `?`), or "".
pub fn raw_query(req: &Request) -> &str {
    req.uri().query().unwrap_or("")
}

/// The caller's source IP from the API Gateway request context.
pub fn source_ip(req: &Request) -> Option<String> {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(c)) => c.http.source_ip.clone(),
        _ => None,
    }
    .filter(|ip| !ip.is_empty())
}

/// The request id: the Lambda invocation's, else API Gateway's, else a fresh one.
pub fn request_id(req: &Request) -> String {
    if let Some(ctx) = req.lambda_context_ref() {
        if !ctx.request_id.is_empty() {
            return ctx.request_id.clone();
        }
    }
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(c)) if c.request_id.as_deref().is_some_and(|s| !s.is_empty()) => {
            c.request_id.clone().unwrap_or_default()
        }
        _ => crate::ids::random_hex(16),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert!(JsonBody::from_bytes(b"").unwrap().0.is_empty());
        assert_eq!(JsonBody::from_bytes(b"[1]").unwrap_err().status, 400);
        assert_eq!(JsonBody::from_bytes(b"{").unwrap_err().id.as_deref(), Some("body_invalid"));
        let b = JsonBody::from_bytes(br#"{"a":1,"b":"  ","c":"x","d":null,"e":4.5,"f":"5"}"#).unwrap();
        assert_eq!(b.opt_str("a", 10).unwrap_err().id.as_deref(), Some("a_invalid"));
        assert_eq!(b.opt_str("b", 10).unwrap(), None);
        assert_eq!(b.opt_str("c", 10).unwrap().as_deref(), Some("x"));
        assert_eq!(b.opt_str("c", 0).unwrap_err().id.as_deref(), Some("c_too_long"));
        assert!(!b.has("d"));
        assert!(b.opt_i64("e").is_err());
        assert!(b.opt_i64("f").is_err());
        assert_eq!(b.opt_i64("a").unwrap(), Some(1));
    }

    #[test]
    fn queries_decode_plus_as_space() {
        let q = Query::parse("a=x+y&b=%2B1&a=second&c=");
        assert_eq!(q.raw("a"), Some("x y"));
        assert_eq!(q.raw("b"), Some("+1"));
        assert_eq!(q.get("c", 5).unwrap(), None);
    }
}
