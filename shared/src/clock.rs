//! Time: epoch milliseconds for `recorded`, ISO 8601 UTC for ticket times.

use time::{format_description::well_known::Rfc3339, OffsetDateTime};

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub fn now_secs() -> i64 {
    now().unix_timestamp()
}

pub fn now_ms() -> i64 {
    (now().unix_timestamp_nanos() / 1_000_000) as i64
}

/// `2023-06-15T18:30:22Z` (whole seconds, UTC).
pub fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).expect("0 is a valid nanosecond");
    t.format(&Rfc3339).expect("RFC 3339 formatting of a UTC time")
}

pub fn now_iso() -> String {
    iso(now())
}

/// Milliseconds as a sortable, fixed-width key part (13 digits until the year 2286).
pub fn sortable_ms(ms: i64) -> String {
    format!("{ms:013}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_is_whole_seconds_utc() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_686_853_822_123_456_789).unwrap();
        assert_eq!(iso(t), "2023-06-15T18:30:22Z");
        assert_eq!(sortable_ms(1686924523471), "1686924523471");
        assert_eq!(sortable_ms(5), "0000000000005");
    }
}
