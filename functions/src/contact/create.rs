//! `POST /core_contact_create`: a public contact form submission.

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde_json::json;
use shared::{
    clock, errors::contact as err, ids,
    input::{source_ip, JsonBody, MAX_SHORT, MAX_TEXT},
    ratelimit::RateLimit,
    store::{self, contact::{self as model, Contact}, Guarded},
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "core_contact_create";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// A plausible address: one `@`, a non-empty local part, a domain of two or more non-empty
/// labels (letters, digits, `-`, not at a label's ends), no spaces or control characters.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let body = JsonBody::parse(&req)?;
    let name = body.req_str("flnm", MAX_SHORT, &err::FLNM_REQUIRED)?;
    let email = body.req_str("emad", 320, &err::EMAD_REQUIRED)?.trim().to_lowercase();
    let subject = body.opt_str("sbjt", MAX_SHORT)?;
    let message = body.req_str("msge", MAX_TEXT, &err::MSGE_REQUIRED)?;
    let dev_name = body.opt_str("dvnm", MAX_SHORT)?;
    let dev_type = body.req_str("dvty", 64, &err::DVTY_REQUIRED)?;
    let dev_serial = body.req_str("dsnm", MAX_SHORT, &err::DSNM_REQUIRED)?;
    if !is_email(&email) {
        return Err(err::EMAD_INVALID.err());
    }

    let marker = ids::marker(ids::CONTACT);
    let now_ms = clock::now_ms();
    let ip = source_ip(&req);
    let contact = Contact {
        pk: model::pk(&marker),
        sk: model::SK.into(),
        gsi1pk: model::LIST_PK.into(),
        gsi1sk: format!("{}#{marker}", clock::sortable_ms(now_ms)),
        marker: marker.clone(),
        name: name.trim().to_owned(),
        email,
        department: model::department_for(subject.as_deref()).into(),
        subject: subject.map(|s| s.trim().to_owned()),
        message,
        ipaddx: ip.clone(),
        devname: dev_name.map(|s| s.trim().to_owned()),
        dev_type: dev_type.trim().to_owned(),
        dev_numr: dev_serial.trim().to_owned(),
        status: "pending".into(),
        recorded_ms: now_ms,
    };
    let item = serde_dynamo::to_item(&contact).map_err(ApiError::internal)?;
    let put = Put::builder()
        .table_name(&ctx.config.tables.contacts)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(pk)")
        .build()
        .map_err(ApiError::internal)?;

    // The record and its rate-limit counters are written together: a limited request changes
    // nothing, an accepted one is counted once.
    let now = clock::now_secs();
    let limits = &ctx.config.limits;
    // Serials are compared without case: `RL1` and `rl1` are one device.
    let mut writes = vec![RateLimit::new("contact-device", contact.dev_numr.to_lowercase(), limits.contact_per_device)
        .guarded(ctx, now, &err::RATE_LIMITED)];
    if let Some(ip) = &ip {
        writes.push(RateLimit::new("contact-ip", ip.clone(), limits.contact_per_ip).guarded(ctx, now, &err::RATE_LIMITED));
    }
    writes.push(Guarded::from(TransactWriteItem::builder().put(put).build()));
    store::transact(ctx, writes).await?;

    Ok(Reply::new(json!({
        "COMMENT": "Thanks for contacting us, We will be in touch with you shortly!",
        "MKID": marker,
    })))
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn emails() {
        assert!(is_email("john.smith@example.com"));
        assert!(!is_email("john.smith"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("a@b..co"));
        assert!(!is_email("a@.b.co"));
        assert!(!is_email("a@b@c.co"));
        assert!(!is_email("a@-b.co"));
        assert!(is_email("o'brien+tag@mail.example.co.uk"));
    }
}
