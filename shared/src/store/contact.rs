//! Contact form submissions.
//!
//! Contacts table: `pk = CONTACT#<marker>`, `sk = CONTACT`; newest-first list through index
//! `gsi1` with `gsi1pk = CONTACTS`, `gsi1sk = <13-digit epoch ms>#<marker>`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::store::Item;

pub const SK: &str = "CONTACT";
pub const LIST_PK: &str = "CONTACTS";
pub const KEY_ATTRS: [&str; 4] = ["pk", "sk", "gsi1pk", "gsi1sk"];

pub fn pk(marker: &str) -> String {
    format!("CONTACT#{marker}")
}

/// Departments a subject routes to.
pub const DEPARTMENTS: [&str; 5] = ["partnerships", "support", "billing", "feedback", "general"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    pub pk: String,
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub marker: String,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub subject: Option<String>,
    pub department: String,
    pub message: String,
    #[serde(default)]
    pub ipaddx: Option<String>,
    #[serde(default)]
    pub devname: Option<String>,
    #[serde(rename = "devType")]
    pub dev_type: String,
    #[serde(rename = "devNumr")]
    pub dev_numr: String,
    pub status: String,
    pub recorded_ms: i64,
}

impl Contact {
    /// The public shape of the spec.
    pub fn to_json(&self) -> Value {
        json!({
            "marker": self.marker,
            "name": self.name,
            "email": self.email,
            "subject": self.subject.clone().unwrap_or_default(),
            "department": self.department,
            "message": self.message,
            "ipaddx": self.ipaddx.clone().unwrap_or_default(),
            "devname": self.devname.clone().unwrap_or_default(),
            "devType": self.dev_type,
            "devNumr": self.dev_numr,
            "status": self.status,
            "recorded": self.recorded_ms.to_string(),
        })
    }

    pub fn from_item(item: Item) -> Result<Self, crate::ApiError> {
        serde_dynamo::from_item(item).map_err(|e| crate::ApiError::internal(format!("bad contact record: {e}")))
    }
}

/// The department a subject routes to, by keywords; no subject or no match -> `general`.
pub fn department_for(subject: Option<&str>) -> &'static str {
    let Some(subject) = subject else { return "general" };
    let s = subject.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["partner", "business", "collaborat", "press", "media", "invest"]) {
        "partnerships"
    } else if has(&["bill", "invoice", "charge", "refund", "fee", "payment", "subscription"]) {
        "billing"
    } else if has(&["support", "help", "problem", "issue", "error", "bug", "technical", "login", "account", "wallet"]) {
        "support"
    } else if has(&["feedback", "suggest", "idea", "feature", "complain", "review"]) {
        "feedback"
    } else {
        "general"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_route_to_departments() {
        assert_eq!(department_for(Some("Business Partnership Inquiry")), "partnerships");
        assert_eq!(department_for(Some("Refund for a double charge")), "billing");
        assert_eq!(department_for(Some("Technical Support Request")), "support");
        assert_eq!(department_for(Some("A suggestion")), "feedback");
        assert_eq!(department_for(Some("Hello")), "general");
        assert_eq!(department_for(None), "general");
    }
}
