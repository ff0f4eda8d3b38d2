//! Request signatures (MPY-SECUREKEY / MPY-TIMESTAMP / MPY-REQSIGNAL), credentials and permissions.
//!
//! String to sign, lines joined by `\n`:
//! `MPY1-HMAC-SHA512`, timestamp, public key, METHOD, `/<action>`, canonical query,
//! lower-case hex SHA-512 of the raw body. Signature: lower-case hex HMAC-SHA512 keyed with the
//! secret key. See the README for the full scheme and test vectors.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use hmac::{Hmac, Mac};
use lambda_http::Request;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

use crate::config::Ctx;
use crate::errors::{self, ApiError, Spec};
use crate::input::{raw_body, raw_query};
use crate::store;

pub const HEADER_KEY: &str = "mpy-securekey";
pub const HEADER_TIMESTAMP: &str = "mpy-timestamp";
pub const HEADER_SIGNATURE: &str = "mpy-reqsignal";
pub const ALGORITHM: &str = "MPY1-HMAC-SHA512";
/// Largest accepted distance between the request's timestamp and the server clock, in seconds.
pub const MAX_SKEW: i64 = 300;

/// Everything but RFC 3986 unreserved characters is percent-encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE).to_string()
}

fn decode_component(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// Splits a raw query on `&` and the first `=`, percent-decoding with `+` read as a space.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

/// The canonical query: decoded pairs re-encoded (RFC 3986), sorted by name then value, joined by `&`.
pub fn canonical_query(raw: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        decode_query(raw).into_iter().map(|(k, v)| (encode(&k), encode(&v))).collect();
    pairs.sort();
    pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// The string to sign of the contract.
pub fn string_to_sign(timestamp: &str, public_key: &str, method: &str, action: &str, raw_query: &str, body: &[u8]) -> String {
    let body_hash = hex::encode(Sha512::digest(body));
    format!(
        "{ALGORITHM}\n{timestamp}\n{public_key}\n{}\n/{}\n{}\n{body_hash}",
        method.to_ascii_uppercase(),
        action.trim_start_matches('/'),
        canonical_query(raw_query)
    )
}

/// Lower-case hex HMAC-SHA512 of `message` keyed with the secret key.
pub fn sign(secret_key: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time check of a hex signature.
pub fn verify(secret_key: &str, message: &str, signature_hex: &str) -> bool {
    let Ok(given) = hex::decode(signature_hex.trim()) else { return false };
    let mut mac = Hmac::<Sha512>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac.verify_slice(&given).is_ok()
}

/// The three signature headers for a request, as a client computes them.
pub fn signed_headers(public_key: &str, secret_key: &str, timestamp: i64, method: &str, action: &str, raw_query: &str, body: &[u8]) -> [(&'static str, String); 3] {
    let ts = timestamp.to_string();
    let sig = sign(secret_key, &string_to_sign(&ts, public_key, method, action, raw_query, body));
    [("MPY-SECUREKEY", public_key.to_owned()), ("MPY-TIMESTAMP", ts), ("MPY-REQSIGNAL", sig)]
}

/// Roles of a credential.
pub const ROLE_USER: &str = "user";
pub const ROLE_STAFF: &str = "staff";

/// Every permission of the contract.
pub const PERMISSIONS: [&str; 5] = [
    "helpControl.allowCreate",
    "helpControl.allowModify",
    "ticketControl.allowView",
    "ticketControl.allowModify",
    "contactControl.allowView",
];

/// A credential as stored in the credentials table (key `pk` = public key).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Credential {
    #[serde(rename = "pk")]
    pub public_key: String,
    pub secret_key: String,
    pub user_id: String,
    pub role: String,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    /// `active` or `revoked`.
    pub status: String,
    pub created_at: String,
    /// Unix seconds after which the key is refused; none = no expiry.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub user_id: String,
    pub role: String,
    pub permissions: Vec<String>,
    pub display_name: Option<String>,
}

impl Caller {
    pub fn can(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }

    /// `Ok` when the caller holds `permission`, else the action's own 403.
    pub fn require(&self, permission: &str, denied: &Spec) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(denied.err().with_log(format!("caller {} lacks {permission}", self.user_id)))
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role == ROLE_STAFF
    }
}

fn denied(reason: &str) -> ApiError {
    errors::ACCESS_DENIED.err().with_log(reason.to_owned())
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

/// Checks the signature of `req` for `action` and returns the caller. Any failure -> 401
/// `Access Denied`; the reason goes to the log only. A non-GET signature is accepted once.
pub async fn authenticate(ctx: &Ctx, req: &Request, action: &str) -> Result<Caller, ApiError> {
    let once = !matches!(req.method().as_str(), "GET" | "HEAD");
    check(ctx, req, action, once).await
}

/// As [`authenticate`], for actions that change state whatever their method (the tutorial
/// remove answers GET too): the signature is accepted once, GET included.
pub async fn authenticate_once(ctx: &Ctx, req: &Request, action: &str) -> Result<Caller, ApiError> {
    check(ctx, req, action, true).await
}

async fn check(ctx: &Ctx, req: &Request, action: &str, once: bool) -> Result<Caller, ApiError> {
    let (Some(key), Some(ts), Some(sig)) =
        (header(req, HEADER_KEY), header(req, HEADER_TIMESTAMP), header(req, HEADER_SIGNATURE))
    else {
        return Err(denied("missing signature header"));
    };
    let ts_num: i64 = ts.parse().map_err(|_| denied("timestamp is not a number"))?;
    let now = crate::clock::now_secs();
    if now.checked_sub(ts_num).is_none_or(|skew| skew.checked_abs().is_none_or(|s| s > MAX_SKEW)) {
        return Err(denied("timestamp outside the 300 s window"));
    }
    if key.len() > 128 || sig.len() != 128 {
        return Err(denied("malformed key or signature"));
    }
    let cred = load_credential(ctx, key).await?.ok_or_else(|| denied("unknown key"))?;
    if cred.status != "active" {
        return Err(denied("revoked key"));
    }
    if cred.expires_at.is_some_and(|exp| exp <= now) {
        return Err(denied("expired key"));
    }
    let method = req.method().as_str();
    let message = string_to_sign(ts, key, method, action, raw_query(req), raw_body(req));
    if !verify(&cred.secret_key, &message, sig) {
        return Err(denied("bad signature"));
    }
    if once {
        remember_signature(ctx, sig, ts_num).await?;
    }
    Ok(Caller {
        user_id: cred.user_id,
        role: cred.role,
        permissions: cred.permissions,
        display_name: cred.display_name,
    })
}

/// Refuses a signature seen before (replay). The record expires with the signature's window.
async fn remember_signature(ctx: &Ctx, sig: &str, ts: i64) -> Result<(), ApiError> {
    let item = HashMap::from([
        ("pk".to_owned(), AttributeValue::S(format!("replay#{}", sig.to_ascii_lowercase()))),
        ("expires_at".to_owned(), AttributeValue::N((ts + 2 * MAX_SKEW).to_string())),
    ]);
    let put = ctx
        .ddb
        .put_item()
        .table_name(&ctx.config.tables.guard)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await;
    match put {
        Ok(_) => Ok(()),
        Err(e) if store::is_condition_failed(&e) => Err(denied("replayed signature")),
        Err(e) => Err(ApiError::internal(store::describe(&e))),
    }
}

pub async fn load_credential(ctx: &Ctx, public_key: &str) -> Result<Option<Credential>, ApiError> {
    let out = ctx
        .ddb
        .get_item()
        .table_name(&ctx.config.tables.credentials)
        .key("pk", AttributeValue::S(public_key.to_owned()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| ApiError::internal(store::describe(&e)))?;
    match out.item {
        None => Ok(None),
        Some(item) => serde_dynamo::from_item(item)
            .map(Some)
            .map_err(|e| ApiError::internal(format!("bad credential record: {e}"))),
    }
}

/// Stores a credential (admin tool and tests).
pub async fn save_credential(ctx: &Ctx, cred: &Credential) -> Result<(), ApiError> {
    let item = serde_dynamo::to_item(cred).map_err(ApiError::internal)?;
    ctx.ddb
        .put_item()
        .table_name(&ctx.config.tables.credentials)
        .set_item(Some(item))
        .send()
        .await
        .map_err(|e| ApiError::internal(store::describe(&e)))?;
    Ok(())
}

/// A new credential with random keys (`pk_` / `sk_` + 48 hex).
pub fn new_credential(user_id: &str, role: &str, permissions: Vec<String>, display_name: Option<String>) -> Credential {
    Credential {
        public_key: format!("pk_{}", crate::ids::random_hex(24)),
        secret_key: format!("sk_{}", crate::ids::random_hex(24)),
        user_id: user_id.to_owned(),
        role: role.to_owned(),
        permissions,
        display_name,
        status: "active".into(),
        created_at: crate::clock::now_iso(),
        expires_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PK: &str = "pk_test_0123456789abcdef";
    const SK: &str = "sk_test_fedcba9876543210";

    #[test]
    fn contract_vector_1() {
        let q = "status=open&category=payment&q=a%20b%2Fc%2Bd%3D%C3%A9";
        assert_eq!(canonical_query(q), "category=payment&q=a%20b%2Fc%2Bd%3D%C3%A9&status=open");
        let body = br#"{"ticket_id":"tkt_0123456789abcdef01234567","rating":5}"#;
        let sts = string_to_sign("1796300000", PK, "POST", "support_submit_feedback", q, body);
        assert_eq!(
            sign(SK, &sts),
            "55e8cef1aabfc56d1f662bfd968b04408bd3ec8925cd81566004d60527c93d2f8cf3eb7a03736221f3e6c04870cdd21dd0d63a8500465b06203124dda17cc923"
        );
    }

    #[test]
    fn contract_vector_2() {
        let sts = string_to_sign("1796300000", PK, "GET", "/support_faq_categories", "", b"");
        let sig = sign(SK, &sts);
        assert_eq!(
            sig,
            "43fa451cf4c01c8bb5d5887f4ce909d06b91b070cd6ed19e55bbcc63f83f12ef486c59cae53c200518e64d5e4e8bd81a105fb06801d0d718f5ff27dd77052b94"
        );
        assert!(verify(SK, &sts, &sig));
        assert!(verify(SK, &sts, &sig.to_ascii_uppercase()));
        assert!(!verify("sk_other", &sts, &sig));
        assert!(!verify(SK, &sts, "zz"));
    }

    #[test]
    fn wire_order_and_encoding_style_do_not_matter() {
        let a = canonical_query("q=a+b%2fc&status=open");
        let b = canonical_query("status=open&q=a%20b%2Fc");
        assert_eq!(a, b);
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=2&a=1"), "a=1&a=2&b=2");
    }
}
