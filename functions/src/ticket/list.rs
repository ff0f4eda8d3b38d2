//! `GET /support_get_tickets`: the caller's tickets (everyone's with `ticketControl.allowView`),
//! newest first, filtered by status, category and creation date, in full pages of `limit`.

use serde_json::json;
use shared::{
    auth,
    errors::ticket as err,
    input::{Query, MAX_SHORT},
    pagination,
    store::{
        self,
        ticket::{self as model, Ticket},
        s, Item,
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};
use time::{
    format_description::well_known::{Iso8601, Rfc3339},
    macros::format_description,
    Date, OffsetDateTime, PrimitiveDateTime,
};

use super::VIEW;

pub const ACTION: &str = "support_get_tickets";
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// A `start_date` / `end_date` value as epoch milliseconds. A date alone is a whole UTC day: its
/// first millisecond for a start, its last for an end. Date-times take an offset (`Z`, `+02:00`);
/// a `+` sent unencoded reaches us as a space and is read back as `+`; without an offset, UTC.
pub fn parse_bound(raw: &str, end: bool) -> Option<i64> {
    let v = raw.trim();
    if v.is_empty() || v.len() > 64 {
        return None;
    }
    if let Ok(day) = Date::parse(v, format_description!("[year]-[month]-[day]")) {
        // A date-only end covers the whole day (9999-12-31 included).
        let t = day.midnight().assume_utc();
        return Some(if end { millis(t) + 86_400_000 - 1 } else { millis(t) });
    }
    // `2023-06-15T18:30:22 02:00`: the offset's `+` decoded as a space.
    let mut fixed = v.to_owned();
    if let Some(t_at) = fixed.find(['t', 'T']) {
        fixed.replace_range(t_at..t_at + 1, "T");
        if let Some(space) = fixed[t_at..].find(' ') {
            fixed.replace_range(t_at + space..t_at + space + 1, "+");
        }
    }
    if fixed.ends_with('z') {
        fixed.pop();
        fixed.push('Z');
    }
    let parsed = OffsetDateTime::parse(&fixed, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(&fixed, &Iso8601::DEFAULT))
        // Only a date and a time: read as UTC (after the offset forms failed).
        .or_else(|_| PrimitiveDateTime::parse(&fixed, &Iso8601::DEFAULT).map(|t| t.assume_utc()))
        .ok()?;
    // Ticket times are shown in whole seconds: an end in whole seconds covers its whole second.
    let whole_second_end = end && parsed.millisecond() == 0;
    Some(millis(parsed) + if whole_second_end { 999 } else { 0 })
}

fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// A sort key bound: 13-digit milliseconds, clamped to what the keys can hold.
fn key_bound(ms: i64) -> String {
    shared::clock::sortable_ms(ms.clamp(0, 9_999_999_999_999))
}

/// The checked filters of a list request.
#[derive(Debug, Default, PartialEq)]
pub struct Filters {
    /// Stored status to keep (`pending` already mapped to `in_progress`).
    pub status: Option<String>,
    pub category: Option<String>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub limit: usize,
}

pub fn parse_filters(q: &Query) -> Result<Filters, ApiError> {
    let status = match q.get("status", MAX_SHORT)?.map(|v| v.to_ascii_lowercase()) {
        None => None,
        Some(v) if v == "pending" => Some(model::STATUS_IN_PROGRESS.to_owned()),
        Some(v) if model::STATUSES.contains(&v.as_str()) => Some(v),
        Some(_) => return Err(err::LIST_STATUS_INVALID.err()),
    };
    let category = match q.get("category", MAX_SHORT)?.map(|v| v.to_ascii_lowercase()) {
        None => None,
        // `service` is a filter value of the spec no ticket can have: it matches nothing.
        Some(v) if model::CATEGORIES.contains(&v.as_str()) || v == "service" => Some(v),
        Some(_) => return Err(err::LIST_CATEGORY_INVALID.err()),
    };
    let bound = |name: &str, end: bool| -> Result<Option<i64>, ApiError> {
        match q.raw(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Ok(None),
            Some(v) => parse_bound(v, end).map(Some).ok_or_else(|| err::LIST_DATE_INVALID.err()),
        }
    };
    let (start_ms, end_ms) = (bound("start_date", false)?, bound("end_date", true)?);
    if let (Some(a), Some(b)) = (start_ms, end_ms) {
        if b < a {
            return Err(err::LIST_DATE_RANGE_INVALID.err());
        }
    }
    let limit = match q.get("limit", 16)? {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(err::LIST_LIMIT_INVALID.err()),
        },
    };
    Ok(Filters { status, category, start_ms, end_ms, limit })
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let q = Query::from_request(&req);
    let f = parse_filters(&q)?;
    let staff = caller.can(VIEW);

    // Everyone's tickets (gsi2) for staff, the caller's own (gsi1) otherwise.
    let (index, partition, key_attrs) = if staff {
        ("gsi2", model::ALL_TICKETS.to_owned(), &model::GSI2_KEYS)
    } else {
        ("gsi1", model::user_list_pk(&caller.user_id), &model::GSI1_KEYS)
    };
    let binding = format!(
        "{ACTION}|{partition}|{}|{}|{}|{}|{}",
        f.status.as_deref().unwrap_or(""),
        f.category.as_deref().unwrap_or(""),
        f.start_ms.map(|v| v.to_string()).unwrap_or_default(),
        f.end_ms.map(|v| v.to_string()).unwrap_or_default(),
        f.limit
    );
    let start = pagination::decode(ctx, &binding, q.raw("page"))?;
    let ranged = f.start_ms.is_some() || f.end_ms.is_some();
    let lo = key_bound(f.start_ms.unwrap_or(0));
    let hi = format!("{}#~", key_bound(f.end_ms.unwrap_or(i64::MAX)));
    let keep = |item: &Item| {
        f.status.as_deref().is_none_or(|want| store::attr_s(item, "status") == Some(want))
            && f.category.as_deref().is_none_or(|want| store::attr_s(item, "category") == Some(want))
    };
    let page = store::query_page(
        ctx,
        || {
            let q = store::newest_first(ctx, &ctx.config.tables.tickets, index, &partition);
            if ranged {
                q.key_condition_expression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                    .expression_attribute_names("#sk", format!("{index}sk"))
                    .expression_attribute_values(":lo", s(lo.clone()))
                    .expression_attribute_values(":hi", s(hi.clone()))
            } else {
                q
            }
        },
        start,
        f.limit,
        keep,
        key_attrs,
    )
    .await?;
    let result = page
        .items
        .into_iter()
        .map(|item| Ticket::from_item(item).map(|t| t.list_json(staff)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Reply::new(json!({
        "result": result,
        "pagination": pagination::next_token(ctx, &binding, page.next.as_ref()),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        millis(OffsetDateTime::parse(s, &Rfc3339).unwrap())
    }

    #[test]
    fn dates_and_date_times_parse() {
        assert_eq!(parse_bound("2023-06-15", false), Some(at("2023-06-15T00:00:00Z")));
        assert_eq!(parse_bound("2023-06-15", true), Some(at("2023-06-16T00:00:00Z") - 1));
        assert_eq!(parse_bound("2023-06-15T18:30:22Z", false), Some(at("2023-06-15T18:30:22Z")));
        assert_eq!(parse_bound("2023-06-15T18:30:22+02:00", false), Some(at("2023-06-15T16:30:22Z")));
        // `+` decoded as a space by the query parser.
        assert_eq!(parse_bound("2023-06-15T18:30:22 02:00", false), Some(at("2023-06-15T16:30:22Z")));
        assert_eq!(parse_bound("2023-06-15T18:30:22.250-05:00", false), Some(at("2023-06-15T23:30:22.250Z")));
        assert_eq!(parse_bound("2023-06-15t18:30:22z", false), Some(at("2023-06-15T18:30:22Z")));
        assert_eq!(parse_bound("2023-06-15T18:30:22", false), Some(at("2023-06-15T18:30:22Z")));
        // An end covers its whole day or its whole second; the last day of the calendar too.
        assert_eq!(parse_bound("9999-12-31", true), Some(at("9999-12-31T23:59:59.999Z")));
        assert_eq!(parse_bound("2023-06-15T18:30:22Z", true), Some(at("2023-06-15T18:30:22.999Z")));
        assert_eq!(parse_bound("2023-06-15T18:30:22.250Z", true), Some(at("2023-06-15T18:30:22.250Z")));
        for bad in ["", "yesterday", "2023-13-01", "2023-02-30", "15/06/2023", "2023-06-15T25:00:00Z", "1686853822"] {
            assert_eq!(parse_bound(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn filters_are_checked() {
        let f = parse_filters(&Query::parse("status=pending&category=Payment&limit=100")).unwrap();
        assert_eq!(f.status.as_deref(), Some("in_progress"));
        assert_eq!(f.category.as_deref(), Some("payment"));
        assert_eq!(f.limit, 100);
        assert_eq!(parse_filters(&Query::parse("")).unwrap().limit, 20);
        for bad in ["limit=0", "limit=101", "limit=ten", "limit=-1", "limit=1.5"] {
            assert_eq!(parse_filters(&Query::parse(bad)).unwrap_err().details, err::LIST_LIMIT_INVALID.details(), "{bad}");
        }
        assert_eq!(parse_filters(&Query::parse("status=done")).unwrap_err().details, err::LIST_STATUS_INVALID.details());
        assert_eq!(parse_filters(&Query::parse("start_date=x")).unwrap_err().details, err::LIST_DATE_INVALID.details());
        assert_eq!(
            parse_filters(&Query::parse("start_date=2023-06-16&end_date=2023-06-15")).unwrap_err().details,
            err::LIST_DATE_RANGE_INVALID.details()
        );
        assert!(parse_filters(&Query::parse("start_date=2023-06-15&end_date=2023-06-15")).is_ok());
    }
}
