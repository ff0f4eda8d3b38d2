//! Video tutorials (issue 5).
//!
//! Tutorials table, one item per tutorial:
//! - `pk = TUTORIAL#<marker>`, `sk = TUTORIAL`: read, update and remove by marker.
//! - `gsi1pk = TUTORIALS#<status>`, `gsi1sk = <13-digit epoch ms>#<marker>`: newest-first list of
//!   one status (`base` lists `TUTORIALS#published`). Every status change rewrites `gsi1pk`.
//! - `gsi2pk = TUTORIALS`, `gsi2sk = <13-digit epoch ms>#<marker>`: newest-first list of every
//!   tutorial whatever its status (the staff's `all`); never changes.
//!
//! A permanently removed tutorial is deleted; a soft-removed one keeps its item with status
//! `removed`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock;
use crate::errors::{tutorial as err, ApiError};
use crate::input::JsonBody;
use crate::store::Item;

pub const SK: &str = "TUTORIAL";
/// `gsi2pk` of every tutorial.
pub const ALL_PK: &str = "TUTORIALS";
/// Key attributes of a `gsi1` page (the next-page key).
pub const GSI1_KEY_ATTRS: [&str; 4] = ["pk", "sk", "gsi1pk", "gsi1sk"];
/// Key attributes of a `gsi2` page (the next-page key).
pub const GSI2_KEY_ATTRS: [&str; 4] = ["pk", "sk", "gsi2pk", "gsi2sk"];

/// Longest title, in characters.
pub const MAX_TITLE: usize = 256;
/// Longest URL, in characters.
pub const MAX_URL: usize = 2048;

pub fn pk(marker: &str) -> String {
    format!("TUTORIAL#{marker}")
}

/// `gsi1pk` of the tutorials of one status.
pub fn status_pk(status: Status) -> String {
    format!("TUTORIALS#{}", status.as_str())
}

/// The status of a tutorial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Visible to everyone, in the list and by marker (the default).
    Published,
    /// Visible only to staff with `helpControl.allowModify`.
    Draft,
    /// Out of the list, still readable by marker.
    Archived,
    /// Soft-deleted: hidden from everyone but the staff's `all` list; restorable through update.
    Removed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Draft => "draft",
            Status::Archived => "archived",
            Status::Removed => "removed",
        }
    }

    /// A status a client may set (`removed` only comes from the remove action).
    pub fn from_client(s: &str) -> Option<Status> {
        match s {
            "published" => Some(Status::Published),
            "draft" => Some(Status::Draft),
            "archived" => Some(Status::Archived),
            _ => None,
        }
    }

    /// Whether a caller may read a tutorial of this status by its marker.
    pub fn readable_by_marker(self, can_modify: bool) -> bool {
        match self {
            Status::Published | Status::Archived => true,
            Status::Draft => can_modify,
            Status::Removed => false,
        }
    }
}

/// The optional `stts` field of create and update: absent or blank -> `None`; one of
/// `published`, `draft`, `archived` -> that status; anything else (other text, `removed`, a
/// non-string) -> `stts_invalid`.
pub fn client_status(body: &JsonBody) -> Result<Option<Status>, ApiError> {
    match body.value("stts") {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Status::from_client(s.trim()).map(Some).ok_or_else(|| err::STTS_INVALID.err()),
        Some(_) => Err(err::STTS_INVALID.err()),
    }
}

/// Whether `s` is an absolute `https` URL with a host: no other scheme (`http`, `javascript:`,
/// `data:`, ...), no relative or scheme-relative form, no credentials, no white space.
pub fn is_https_url(s: &str) -> bool {
    let Some(scheme) = s.get(..8) else { return false };
    if !scheme.eq_ignore_ascii_case("https://") {
        return false;
    }
    if s[8..].starts_with(['/', '\\']) || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match url::Url::parse(s) {
        Ok(u) => {
            u.scheme() == "https"
                && u.host_str().is_some_and(|h| !h.is_empty())
                && u.username().is_empty()
                && u.password().is_none()
        }
        Err(_) => false,
    }
}

/// An optional URL field (`vurl`, `purl`): absent or blank -> `None`; otherwise an absolute
/// `https` URL, else `invalid`. A non-string or an over-long value is `invalid` too.
pub fn url_field(body: &JsonBody, name: &str, invalid: &crate::errors::Spec) -> Result<Option<String>, ApiError> {
    match body.value(name) {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.chars().count() > MAX_URL || !is_https_url(s) {
                return Err(invalid.err());
            }
            Ok(Some(s.to_owned()))
        }
        Some(_) => Err(invalid.err()),
    }
}

/// A stored tutorial.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tutorial {
    pub pk: String,
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub gsi2pk: String,
    pub gsi2sk: String,
    pub marker: String,
    pub title: String,
    pub contents: String,
    pub videourl: String,
    pub coverpix: String,
    pub status: Status,
    pub recorded_ms: i64,
    pub created_by: String,
    #[serde(default)]
    pub updated_ms: Option<i64>,
    #[serde(default)]
    pub updated_by: Option<String>,
}

impl Tutorial {
    /// A new tutorial with all its keys.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        marker: String,
        title: String,
        contents: String,
        videourl: String,
        coverpix: String,
        status: Status,
        recorded_ms: i64,
        created_by: String,
    ) -> Self {
        let order = format!("{}#{marker}", clock::sortable_ms(recorded_ms));
        Tutorial {
            pk: pk(&marker),
            sk: SK.into(),
            gsi1pk: status_pk(status),
            gsi1sk: order.clone(),
            gsi2pk: ALL_PK.into(),
            gsi2sk: order,
            marker,
            title,
            contents,
            videourl,
            coverpix,
            status,
            recorded_ms,
            created_by,
            updated_ms: None,
            updated_by: None,
        }
    }

    /// The public shape of the spec.
    pub fn to_json(&self) -> Value {
        json!({
            "marker": self.marker,
            "title": self.title,
            "contents": self.contents,
            "videourl": self.videourl,
            "coverpix": self.coverpix,
            "status": self.status.as_str(),
            "recorded": self.recorded_ms.to_string(),
        })
    }

    pub fn to_item(&self) -> Result<Item, ApiError> {
        serde_dynamo::to_item(self).map_err(ApiError::internal)
    }

    pub fn from_item(item: Item) -> Result<Self, ApiError> {
        serde_dynamo::from_item(item).map_err(|e| ApiError::internal(format!("bad tutorial record: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_https_urls_pass() {
        for ok in [
            "https://assets.mopay-ng.com/tutorials/virtual-card-creation.mp4",
            "HTTPS://example.com",
            "https://example.com:8443/a/b.jpg?x=1&y=%20#t=10",
            "https://[2001:db8::1]/v.mp4",
        ] {
            assert!(is_https_url(ok), "{ok}");
        }
        for bad in [
            "http://example.com/v.mp4",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "ftp://example.com/v.mp4",
            "//example.com/v.mp4",
            "/tutorials/v.mp4",
            "example.com/v.mp4",
            "https:example.com",
            "https:/example.com",
            "https:///example.com",
            "https://",
            "https://user:pw@example.com/v.mp4",
            "https://user@example.com/v.mp4",
            "https://exa mple.com/v.mp4",
            "https://example.com/a b.mp4",
            "https://example.com/\n",
            "https:\\\\example.com",
            "",
        ] {
            assert!(!is_https_url(bad), "{bad}");
        }
    }

    #[test]
    fn clients_set_three_statuses() {
        assert_eq!(Status::from_client("draft"), Some(Status::Draft));
        assert_eq!(Status::from_client("removed"), None);
        assert_eq!(Status::from_client("active"), None);
        assert_eq!(Status::from_client("Published"), None);
        let body = JsonBody::from_bytes(br#"{"a":" archived ","b":"","c":7,"d":"removed"}"#).unwrap();
        let pick = |name: &str| {
            let mut one = JsonBody::default();
            if let Some(v) = body.0.get(name) {
                one.0.insert("stts".into(), v.clone());
            }
            client_status(&one)
        };
        assert_eq!(pick("a").unwrap(), Some(Status::Archived));
        assert_eq!(pick("b").unwrap(), None);
        assert_eq!(pick("none").unwrap(), None);
        assert_eq!(pick("c").unwrap_err().id.as_deref(), Some("stts_invalid"));
        assert_eq!(pick("d").unwrap_err().id.as_deref(), Some("stts_invalid"));
    }

    #[test]
    fn visibility_by_marker() {
        assert!(Status::Published.readable_by_marker(false));
        assert!(Status::Archived.readable_by_marker(false));
        assert!(!Status::Draft.readable_by_marker(false));
        assert!(Status::Draft.readable_by_marker(true));
        assert!(!Status::Removed.readable_by_marker(true));
    }

    #[test]
    fn keys_follow_the_status() {
        let t = Tutorial::new("tut0".into(), "t".into(), "c".into(), "v".into(), "p".into(), Status::Draft, 5, "u".into());
        assert_eq!(t.gsi1pk, "TUTORIALS#draft");
        assert_eq!(t.gsi1sk, "0000000000005#tut0");
        assert_eq!(t.gsi2pk, "TUTORIALS");
        let item = t.to_item().unwrap();
        assert_eq!(item["status"].as_s().unwrap(), "draft");
        assert_eq!(Tutorial::from_item(item).unwrap(), t);
    }
}
