//! Opaque, tamper-evident pagination tokens bound to the query that made them.
//!
//! A token is `base64url(key JSON) . base64url(HMAC-SHA256(secret, binding \n key JSON)[..16])`.
//! The binding names the action and every filter of the query, so a token from another query,
//! a changed token or garbage is refused with 400 `Invalid pagination parameters`.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::config::Ctx;
use crate::errors::{self, ApiError};
use crate::store::Item;
use aws_sdk_dynamodb::types::AttributeValue;

/// `page` values that mean "first page": absent, empty, `1`, or the spec's `123456789001`.
pub fn is_first_page(page: Option<&str>) -> bool {
    matches!(page.map(str::trim), None | Some("") | Some("1") | Some("123456789001"))
}

fn mac(secret: &[u8], binding: &str, payload: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(binding.as_bytes());
    m.update(b"\n");
    m.update(payload.as_bytes());
    m.finalize().into_bytes()[..16].to_vec()
}

fn key_to_json(key: &Item) -> String {
    let mut map = Map::new();
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    for name in names {
        let v = match &key[name] {
            AttributeValue::S(s) => Value::Array(vec!["S".into(), s.clone().into()]),
            AttributeValue::N(n) => Value::Array(vec!["N".into(), n.clone().into()]),
            _ => continue,
        };
        map.insert(name.clone(), v);
    }
    Value::Object(map).to_string()
}

fn key_from_json(payload: &str) -> Option<Item> {
    let Value::Object(map) = serde_json::from_str::<Value>(payload).ok()? else { return None };
    let mut item = Item::new();
    for (name, v) in map {
        let arr = v.as_array()?;
        let (kind, val) = (arr.first()?.as_str()?, arr.get(1)?.as_str()?.to_owned());
        let av = match kind {
            "S" => AttributeValue::S(val),
            "N" => AttributeValue::N(val),
            _ => return None,
        };
        item.insert(name, av);
    }
    (!item.is_empty()).then_some(item)
}

/// The token for the page after `key`, bound to `binding`.
pub fn encode(ctx: &Ctx, binding: &str, key: &Item) -> String {
    let payload = key_to_json(key);
    let tag = mac(&ctx.config.pagination_secret, binding, &payload);
    format!("{}.{}", URL_SAFE_NO_PAD.encode(payload), URL_SAFE_NO_PAD.encode(tag))
}

/// The start key of the page `page` asks for; `None` for the first page.
pub fn decode(ctx: &Ctx, binding: &str, page: Option<&str>) -> Result<Option<Item>, ApiError> {
    if is_first_page(page) {
        return Ok(None);
    }
    let bad = || errors::INVALID_PAGINATION.err();
    let token = page.unwrap_or_default().trim();
    let (p, t) = token.split_once('.').ok_or_else(bad)?;
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(p).map_err(|_| bad())?).map_err(|_| bad())?;
    let tag = URL_SAFE_NO_PAD.decode(t).map_err(|_| bad())?;
    let mut m = Hmac::<Sha256>::new_from_slice(&ctx.config.pagination_secret).expect("HMAC takes any key length");
    m.update(binding.as_bytes());
    m.update(b"\n");
    m.update(payload.as_bytes());
    m.verify_truncated_left(&tag).map_err(|_| bad().with_log("pagination token MAC mismatch"))?;
    if tag.len() != 16 {
        return Err(bad());
    }
    key_from_json(&payload).map(Some).ok_or_else(bad)
}

/// The `pagination` value of a list answer: the next token, or "" when there is no next page.
pub fn next_token(ctx: &Ctx, binding: &str, next: Option<&Item>) -> String {
    next.map(|k| encode(ctx, binding, k)).unwrap_or_default()
}
