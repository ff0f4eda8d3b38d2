//! The error catalogue: every error text and MPS number the API answers with, for all 20 actions.
//!
//! Texts and numbers of the spec (`support-api.txt`) are kept exactly, even where a number is
//! reused by several situations. Errors the spec does not list got new 15-digit MPS numbers here;
//! nothing else in the code base writes an error text.

use std::fmt;

/// One catalogued error: HTTP status, optional field id, text and MPS number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub status: u16,
    pub id: Option<&'static str>,
    pub text: &'static str,
    pub mps: &'static str,
}

impl Spec {
    pub const fn new(status: u16, id: Option<&'static str>, text: &'static str, mps: &'static str) -> Self {
        Spec { status, id, text, mps }
    }

    /// The `DETAILS` string: `<text> (MPS<number>)`.
    pub fn details(&self) -> String {
        format!("{} (MPS{})", self.text, self.mps)
    }

    /// This error as an [`ApiError`] ready to be answered.
    pub fn err(&self) -> ApiError {
        ApiError {
            status: self.status,
            id: self.id.map(str::to_owned),
            details: self.details(),
            retry_after: None,
            log: None,
            allow: None,
        }
    }
}

/// An error answered to the client in the failure envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub id: Option<String>,
    pub details: String,
    /// Seconds for the `Retry-After` header of a 429.
    pub retry_after: Option<u64>,
    /// What went wrong, for the log only (never sent to the client).
    pub log: Option<String>,
    /// Methods for the `Allow` header of a 405.
    pub allow: Option<String>,
}

impl ApiError {
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn with_allow(mut self, methods: &[&str]) -> Self {
        self.allow = Some(methods.join(", "));
        self
    }

    pub fn with_log(mut self, reason: impl Into<String>) -> Self {
        self.log = Some(reason.into());
        self
    }

    /// A 500 whose cause goes to the log only; the client sees a generic text.
    pub fn internal(cause: impl fmt::Display) -> Self {
        INTERNAL.err().with_log(cause.to_string())
    }

    /// A field-level error with an id of its own (`<field>_invalid`).
    pub fn invalid_field(field: &str, why: &str) -> Self {
        ApiError {
            status: 400,
            id: Some(format!("{field}_invalid")),
            details: format!("Invalid value for field {field}: {why} (MPS{})", FIELD_INVALID.mps),
            retry_after: None,
            log: None,
            allow: None,
        }
    }

    /// A field longer than its limit (`<field>_too_long`).
    pub fn field_too_long(field: &str, max_chars: usize) -> Self {
        ApiError {
            status: 400,
            id: Some(format!("{field}_too_long")),
            details: format!(
                "Field {field} is longer than {max_chars} characters (MPS{})",
                FIELD_TOO_LONG.mps
            ),
            retry_after: None,
            log: None,
            allow: None,
        }
    }

    /// A required field of an action whose spec gives no text of its own (`<field>_required`).
    pub fn missing_field(field: &str) -> Self {
        ApiError {
            status: 400,
            id: Some(format!("{field}_required")),
            details: format!("Missing required field: {field} (MPS{})", FIELD_REQUIRED.mps),
            retry_after: None,
            log: None,
            allow: None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.details)
    }
}

impl std::error::Error for ApiError {}

impl From<&Spec> for ApiError {
    fn from(spec: &Spec) -> Self {
        spec.err()
    }
}

impl From<Spec> for ApiError {
    fn from(spec: Spec) -> Self {
        spec.err()
    }
}

const fn e(status: u16, text: &'static str, mps: &'static str) -> Spec {
    Spec::new(status, None, text, mps)
}

const fn f(status: u16, id: &'static str, text: &'static str, mps: &'static str) -> Spec {
    Spec::new(status, Some(id), text, mps)
}

// ---------------------------------------------------------------------------------------------
// Shared by every action
// ---------------------------------------------------------------------------------------------

/// Missing, unknown, revoked or expired key, bad or stale signature, replay (spec, all actions).
pub const ACCESS_DENIED: Spec = e(401, "Access Denied", "186244751624519");
/// A body that is not valid JSON or not a JSON object.
pub const BODY_INVALID: Spec = f(400, "body_invalid", "Request body must be a JSON object", "640215937781102");
/// Template of `<field>_invalid` (text built by [`ApiError::invalid_field`]).
pub const FIELD_INVALID: Spec = e(400, "Invalid value for field", "640215937781215");
/// Template of `<field>_too_long` (text built by [`ApiError::field_too_long`]).
pub const FIELD_TOO_LONG: Spec = e(400, "Field is too long", "640215937781328");
/// Template of `<field>_required` where the spec has no text (built by [`ApiError::missing_field`]).
pub const FIELD_REQUIRED: Spec = e(400, "Missing required field", "640215937781431");
/// A changed, foreign or garbage pagination token (text of the spec's tutorial fetch error).
pub const INVALID_PAGINATION: Spec = e(400, "Invalid pagination parameters", "684521365987412");
/// A method the action does not answer (the `Allow` header lists those it does).
pub const METHOD_NOT_ALLOWED: Spec = e(405, "Method not allowed for this action", "640215937781652");
/// Anything unexpected; the request id is appended by the envelope.
pub const INTERNAL: Spec = e(500, "Something went wrong on our side, please try again later", "640215937781549");

// ---------------------------------------------------------------------------------------------
// Contact forms
// ---------------------------------------------------------------------------------------------
pub mod contact {
    use super::*;
    pub const FLNM_REQUIRED: Spec = f(400, "flnm_required", "User's fullname is required", "350620348189637");
    pub const EMAD_REQUIRED: Spec = f(400, "emad_required", "User's email address is required", "846511325788189");
    pub const MSGE_REQUIRED: Spec = f(400, "msge_required", "Contact message is required", "787605135782873");
    pub const DVTY_REQUIRED: Spec = f(400, "dvty_required", "User's Device Type is required", "233492624197051");
    pub const DSNM_REQUIRED: Spec = f(400, "dsnm_required", "User's Device Serial is required", "999791392744225");
    pub const EMAD_INVALID: Spec = f(400, "emad_invalid", "User's email address is not valid", "846511325788292");
    pub const RATE_LIMITED: Spec = e(429, "Too many contact requests. Please try again later.", "350620348190514");
    pub const NOT_FOUND: Spec = e(404, "We couldn't find any record matching your query", "124817568381273");
    pub const FETCH_PERMISSION: Spec = e(403, "Oops, you don't have the necessary permission for this request", "124817568381386");
}

// ---------------------------------------------------------------------------------------------
// FAQ knowledge base
// ---------------------------------------------------------------------------------------------
pub mod faq {
    use super::*;
    pub const QSTN_REQUIRED: Spec = f(400, "qstn_required", "Question is required", "814957859798125");
    pub const ANSW_REQUIRED: Spec = f(400, "answ_required", "Answer is required", "236481193135856");
    pub const DUPLICATE: Spec = e(409, "Duplicate content detected", "115097293415799");
    pub const CREATE_PERMISSION: Spec = e(403, "Oops, you don't have the necessary permission for this request", "580519374254559");
    pub const CTGY_INVALID: Spec = f(400, "ctgy_invalid", "Unknown FAQ category", "580519374254662");

    pub const FETCH_NOT_FOUND: Spec = e(404, "We couldn't find any record matching your query", "751338698411948");
    pub const CATEGORY_INVALID: Spec = f(400, "category_invalid", "Unknown FAQ category", "751338698412051");

    pub const REMOVE_REQV_REQUIRED: Spec = f(400, "reqv_required", "FAQ's tracking id is required", "457412451741387");
    pub const REMOVE_NOT_FOUND: Spec = e(404, "Could not process your request", "477355558522372");
    pub const REMOVE_PERMISSION: Spec = e(403, "Oops, you don't have the necessary permission for this request", "222899785455346");

    pub const UPDATE_QXID_REQUIRED: Spec = f(400, "qxid_required", "FAQ's tracking id is required", "377467442458249");
    pub const UPDATE_NOT_FOUND: Spec = e(404, "Could not process your request", "451615430738440");
    pub const UPDATE_PERMISSION: Spec = e(403, "Oops, you don't have the necessary permission for this request", "663174287679306");
    pub const UPDATE_NO_DATA: Spec = e(400, "No data to update", "289369744320602");

    pub const TOGGLE_NOT_FOUND: Spec = e(404, "FAQ not found", "675239418596743");
    pub const TOGGLE_HELPFUL_REQUIRED: Spec = f(400, "helpful_required", "Missing required field: helpful", "572981346528970");
    pub const TOGGLE_RATE_LIMITED: Spec = e(429, "Too many requests. Please try again later.", "795634218795412");
    pub const FAQ_ID_REQUIRED: Spec = f(400, "faq_id_required", "Missing required field: faq_id", "675239418596856");

    pub const RATING_NOT_FOUND: Spec = e(404, "FAQ not found", "572981346528970");
    pub const RATING_HELPFUL_REQUIRED: Spec = f(400, "helpful_required", "Missing required parameter: helpful", "795634218795412");
    pub const RATING_ALREADY_RATED: Spec = e(429, "You have already rated this FAQ", "135792468023456");
}

// ---------------------------------------------------------------------------------------------
// Support tickets
// ---------------------------------------------------------------------------------------------
pub mod ticket {
    use super::*;
    pub const CREATE_SUBJECT_REQUIRED: Spec = f(400, "subject_required", "Missing required field: subject", "475893156247896");
    pub const CREATE_MESSAGE_REQUIRED: Spec = f(400, "message_required", "Missing required field: message", "475893156248009");
    pub const CREATE_CATEGORY_REQUIRED: Spec = f(400, "category_required", "Missing required field: category", "475893156248112");
    pub const CREATE_CATEGORY_INVALID: Spec = f(400, "category_invalid", "Invalid category value. Allowed values: account, payment, technical, other", "675239418596743");
    pub const CREATE_PRIORITY_INVALID: Spec = f(400, "priority_invalid", "Invalid priority value. Allowed values: low, medium, high", "675239418596969");
    pub const CREATE_ATTACHMENT_TOO_LARGE: Spec = e(413, "Attachment exceeds maximum size limit of 10MB", "572981346528970");
    pub const CREATE_RATE_LIMITED: Spec = e(429, "Too many tickets created recently. Please wait before creating another ticket.", "795634218795412");

    pub const ATTACHMENTS_INVALID: Spec = f(400, "attachments_invalid", "Attachments must be a list of objects with filename, content_type and data", "428965713543009");
    pub const ATTACHMENTS_TOO_MANY: Spec = f(400, "attachments_too_many", "A message can carry at most 5 attachments", "428965713543112");
    pub const ATTACHMENT_DATA_INVALID: Spec = f(400, "attachments_data_invalid", "Attachment data is not valid base64", "428965713543225");
    pub const ATTACHMENT_TYPE_MISMATCH: Spec = f(400, "attachments_content_type_invalid", "Attachment content does not match its content type", "428965713543338");
    pub const ATTACHMENT_FILENAME_INVALID: Spec = f(400, "attachments_filename_invalid", "Attachment file name is missing or not valid", "428965713543441");
    pub const ATTACHMENT_TYPE_UNSUPPORTED: Spec = f(400, "attachments_content_type_unsupported", "Unsupported attachment content type. Allowed values: image/png, image/jpeg, image/gif, image/webp, image/heic, image/heif, application/pdf, text/plain", "428965713543667");

    pub const LIST_DATE_INVALID: Spec = e(400, "Invalid date format. Date should be in ISO 8601 format", "572981346528970");
    pub const LIST_STATUS_INVALID: Spec = e(400, "Invalid status value. Allowed values: open, pending, resolved, closed", "795634218795412");
    pub const LIST_CATEGORY_INVALID: Spec = f(400, "category_invalid", "Invalid category value. Allowed values: account, payment, service, technical, other", "795634218795525");
    pub const LIST_LIMIT_INVALID: Spec = f(400, "limit_invalid", "Invalid limit value. Allowed values: 1 to 100", "795634218795638");
    pub const LIST_DATE_RANGE_INVALID: Spec = f(400, "end_date_invalid", "end_date must not be before start_date", "572981346529083");

    pub const DETAILS_NOT_FOUND: Spec = e(404, "Ticket not found", "572981346528970");
    pub const DETAILS_FORBIDDEN: Spec = e(403, "You do not have permission to access this ticket", "684521365987412");
    pub const TICKET_ID_REQUIRED: Spec = f(400, "ticket_id_required", "Missing required field: ticket_id", "684521365987525");

    pub const RESPOND_FORBIDDEN: Spec = e(403, "You do not have permission to respond to this ticket", "475893156247896");
    pub const RESPOND_NOT_FOUND: Spec = e(404, "Ticket not found", "675239418596743");
    pub const RESPOND_MESSAGE_REQUIRED: Spec = e(400, "Missing required field: message", "572981346528970");
    pub const RESPOND_STATUS_INVALID: Spec = e(400, "Invalid ticket status value", "795634218795412");
    pub const RESPOND_PRIORITY_INVALID: Spec = f(400, "update_priority_invalid", "Invalid ticket priority value. Allowed values: low, medium, high, critical", "795634218795751");
    pub const RESPOND_ATTACHMENT_TOO_LARGE: Spec = e(413, "Attachment exceeds maximum size limit of 10MB", "428965713542896");
    pub const RESPOND_CLOSED: Spec = e(409, "This ticket is closed and cannot receive new replies", "428965713543554");

    pub const DELETE_NOT_FOUND: Spec = e(404, "Ticket not found", "572981346528970");
    pub const DELETE_FORBIDDEN: Spec = e(403, "You do not have permission to delete this ticket", "684521365987412");
    pub const DELETE_IN_PROGRESS: Spec = e(400, "Cannot delete a ticket that is currently being processed", "795634218795412");

    pub const STATUS_FORBIDDEN: Spec = e(403, "Insufficient permissions to update ticket status", "475893156247896");
    pub const STATUS_NOT_FOUND: Spec = e(404, "Ticket not found", "572981346528970");
    pub const STATUS_INVALID: Spec = e(400, "Invalid status value. Allowed values: open, in_progress, resolved, closed", "795634218795412");
    pub const STATUS_REQUIRED: Spec = f(400, "status_required", "Missing required field: status", "795634218795864");

    pub const FEEDBACK_NOT_FOUND: Spec = e(404, "Ticket not found", "572981346528970");
    pub const FEEDBACK_RATING_INVALID: Spec = e(400, "Rating must be between 1 and 5", "795634218795412");
    pub const FEEDBACK_NOT_RESOLVED: Spec = e(400, "Feedback can only be submitted for resolved or closed tickets", "135792468023456");
    pub const FEEDBACK_ALREADY_SUBMITTED: Spec = e(429, "You have already submitted feedback for this ticket", "246813579086421");
    pub const FEEDBACK_FORBIDDEN: Spec = e(403, "You do not have permission to submit feedback for this ticket", "246813579086534");
    pub const FEEDBACK_RATING_REQUIRED: Spec = f(400, "rating_required", "Missing required field: rating", "246813579086750");
    pub const FEEDBACK_AREAS_INVALID: Spec = f(400, "areas_for_improvement_invalid", "Invalid area. Allowed values: response_time, solution_quality, communication, follow_up", "246813579086647");
}

// ---------------------------------------------------------------------------------------------
// Video tutorials
// ---------------------------------------------------------------------------------------------
pub mod tutorial {
    use super::*;
    pub const FETCH_RQTP_INVALID: Spec = e(400, "Invalid category value", "572981346528970");
    pub const FETCH_PAGINATION_INVALID: Spec = e(400, "Invalid pagination parameters", "684521365987412");
    pub const FETCH_NOT_FOUND: Spec = e(404, "Tutorial not found", "684521365987638");
    pub const FETCH_PERMISSION: Spec = e(403, "Insufficient permissions. Only administrators can list every tutorial.", "684521365987751");

    pub const TTLE_REQUIRED: Spec = f(400, "ttle_required", "Tutorial title is required", "871682426574723");
    pub const CNTX_REQUIRED: Spec = f(400, "cntx_required", "Tutorial content description is required", "256687877906574");
    pub const VURL_REQUIRED: Spec = f(400, "vurl_required", "Tutorial video url is required", "611147738859379");
    pub const PURL_REQUIRED: Spec = f(400, "purl_required", "Tutorial cover picture url is required", "989815074777647");
    pub const CREATE_PERMISSION: Spec = e(403, "Oops, you don't have the necessary permission for this request", "849655926640826");
    pub const VURL_INVALID: Spec = f(400, "vurl_invalid", "Tutorial video url must be an absolute https URL", "611147738859482");
    pub const PURL_INVALID: Spec = f(400, "purl_invalid", "Tutorial cover picture url must be an absolute https URL", "989815074777750");
    pub const STTS_INVALID: Spec = f(400, "stts_invalid", "Invalid tutorial status. Allowed values: published, draft, archived", "871682426574836");

    pub const REMOVE_PERMISSION: Spec = e(403, "Insufficient permissions. Only administrators can remove tutorials.", "475893156247896");
    pub const REMOVE_NOT_FOUND: Spec = e(404, "Tutorial not found", "675239418596743");
    pub const REMOVE_REQV_REQUIRED: Spec = f(400, "reqv_required", "Missing required field: tutorial_id", "572981346528970");
    pub const PERMANENT_INVALID: Spec = f(400, "permanent_invalid", "permanent must be true or false", "572981346529196");

    pub const UPDATE_PERMISSION: Spec = e(403, "Insufficient permissions. Only administrators can update tutorials.", "475893156247896");
    pub const UPDATE_QXID_REQUIRED: Spec = f(404, "qxid_required", "Tutorial tracking id is required", "322358444157223");
    pub const UPDATE_UNPROCESSABLE: Spec = e(400, "Could not process your request", "741567249643209");
    pub const UPDATE_NO_DATA: Spec = e(400, "No data to update", "805606527398304");
    pub const UPDATE_NOT_FOUND: Spec = e(404, "Tutorial not found", "675239418596743");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_carry_the_mps_number() {
        assert_eq!(contact::FLNM_REQUIRED.details(), "User's fullname is required (MPS350620348189637)");
        assert_eq!(ACCESS_DENIED.err().status, 401);
    }

    /// Every catalogued `Spec` of this file, read from its source so new entries are checked too.
    fn all() -> Vec<(String, String, String)> {
        let src = include_str!("errors.rs");
        src.lines()
            .filter(|l| l.trim_start().starts_with("pub const ") && (l.contains(": Spec = e(") || l.contains(": Spec = f(")))
            .map(|l| {
                let name = l.split(':').next().unwrap().trim().trim_start_matches("pub const ").to_owned();
                let quoted: Vec<&str> = l.split('"').collect();
                let mps = quoted[quoted.len() - 2].to_owned();
                let text = quoted[quoted.len() - 4].to_owned();
                (name, text, mps)
            })
            .collect()
    }

    #[test]
    fn every_mps_number_has_fifteen_digits() {
        let all = all();
        assert!(all.len() > 80, "catalogue parsed: {}", all.len());
        for (name, _, mps) in &all {
            assert_eq!(mps.len(), 15, "{name}");
            assert!(mps.bytes().all(|b| b.is_ascii_digit()), "{name}");
        }
    }

    #[test]
    fn new_numbers_are_not_reused_for_other_texts() {
        // The spec itself reuses these numbers across actions; numbers added here must be unique.
        let spec_numbers = [
            "186244751624519", "572981346528970", "795634218795412", "675239418596743",
            "684521365987412", "475893156247896", "135792468023456",
        ];
        let mut seen = std::collections::HashMap::new();
        for (name, text, mps) in all() {
            if spec_numbers.contains(&mps.as_str()) {
                continue;
            }
            if let Some(prev) = seen.insert(mps.clone(), text.clone()) {
                assert_eq!(prev, text, "MPS{mps} used for two texts ({name})");
            }
        }
    }
}
