//! Identifiers: markers (`cf`, `faq`, `tut` + 32 hex) and ticket-side ids (`tkt_` + 24 hex, ...).

use rand::RngCore;

pub const CONTACT: &str = "cf";
pub const FAQ: &str = "faq";
pub const TUTORIAL: &str = "tut";
pub const TICKET: &str = "tkt_";
pub const MESSAGE: &str = "msg_";
pub const ATTACHMENT: &str = "att_";
pub const FEEDBACK: &str = "fb_";
pub const RATING: &str = "rate_";
pub const NOTIFICATION: &str = "ntf_";

/// `n` random bytes as lower-case hex (2n characters).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A marker: prefix + 32 lower-case hex (contact forms, FAQs, tutorials).
pub fn marker(prefix: &str) -> String {
    format!("{prefix}{}", random_hex(16))
}

/// A ticket-side id: prefix + 24 lower-case hex.
pub fn short_id(prefix: &str) -> String {
    format!("{prefix}{}", random_hex(12))
}

/// Whether `id` is `prefix` followed by exactly `hex_len` lower-case hex digits.
pub fn is_valid(id: &str, prefix: &str, hex_len: usize) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == hex_len && rest.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

pub fn is_marker(id: &str, prefix: &str) -> bool {
    is_valid(id, prefix, 32)
}

pub fn is_short_id(id: &str, prefix: &str) -> bool {
    is_valid(id, prefix, 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_shape() {
        let m = marker(CONTACT);
        assert!(is_marker(&m, CONTACT) && m.len() == 34);
        assert!(is_short_id(&short_id(TICKET), TICKET));
        assert!(!is_marker("cf123", CONTACT));
        assert!(!is_marker(&m.to_uppercase(), CONTACT));
        assert!(!is_marker(&format!("{m}0"), CONTACT));
    }
}
