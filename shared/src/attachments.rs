//! Ticket attachments in S3: decode and validate what a request carries, store it under the
//! ticket, delete it again, and hand out pre-signed download URLs.
//!
//! A request's attachments are all decoded and checked before the first byte goes to S3
//! ([`decode_all`]); [`put_all`] uploads them and removes what it uploaded when one upload fails;
//! the caller removes them ([`delete`]) when the DynamoDB write that records them fails. So no
//! ticket or message exists without its files, and no file without its record.
//!
//! Objects live at `tickets/<ticket id>/<attachment id>`: the key never holds the user's file
//! name, and the whole ticket is one prefix (the functions' S3 rights are scoped to `tickets/*`).

use std::borrow::Cow;

use aws_sdk_s3::{presigning::PresigningConfig, primitives::ByteStream};
use base64::{
    alphabet,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
    Engine,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::Ctx;
use crate::errors::{ticket as err, ApiError, Spec};
use crate::ids;
use crate::store;

/// At most this many attachments per message.
pub const MAX_COUNT: usize = 5;
/// Largest decoded attachment: 10 MiB (exactly 10 MiB is accepted).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Longest stored file name, in characters.
pub const MAX_FILENAME_CHARS: usize = 200;
/// Every attachment object key starts with this.
pub const KEY_PREFIX: &str = "tickets/";

/// Standard base64; padding may be left out.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Content types accepted, each checked against the file's first bytes.
pub const CONTENT_TYPES: [&str; 8] =
    ["image/png", "image/jpeg", "image/gif", "image/webp", "image/heic", "image/heif", "application/pdf", "text/plain"];

/// One decoded, checked attachment of a request, not stored yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A stored attachment, as kept on its message record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub key: String,
    /// The object version (versioned buckets), so a delete removes the bytes for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
}

impl Stored {
    /// `image`, `document` (PDF) or `text`: the `type` of the spec's attachment objects.
    pub fn kind(&self) -> &'static str {
        kind_of(&self.content_type)
    }
}

pub fn kind_of(content_type: &str) -> &'static str {
    if content_type.starts_with("image/") {
        "image"
    } else if content_type.starts_with("text/") {
        "text"
    } else {
        "document"
    }
}

/// The object key of one attachment.
pub fn key(ticket_id: &str, attachment_id: &str) -> String {
    format!("{KEY_PREFIX}{ticket_id}/{attachment_id}")
}

/// Decodes and checks every attachment of a request: at most [`MAX_COUNT`], each an object with
/// `filename`, `content_type` and base64 `data`; over [`MAX_BYTES`] decoded -> `too_large` (the
/// action's own 413). Nothing is stored here.
pub fn decode_all(list: Option<&Vec<Value>>, too_large: &Spec) -> Result<Vec<Upload>, ApiError> {
    let Some(list) = list else { return Ok(Vec::new()) };
    if list.len() > MAX_COUNT {
        return Err(err::ATTACHMENTS_TOO_MANY.err().with_log(format!("{} attachments", list.len())));
    }
    list.iter().enumerate().map(|(i, v)| decode_one(i, v, too_large)).collect()
}

fn decode_one(index: usize, value: &Value, too_large: &Spec) -> Result<Upload, ApiError> {
    let invalid = |why: &str| err::ATTACHMENTS_INVALID.err().with_log(format!("attachment {index}: {why}"));
    let Value::Object(obj) = value else { return Err(invalid("not an object")) };
    let field = |name: &str| match obj.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.as_str()),
        _ => Err(invalid(&format!("{name} missing, empty or not a string"))),
    };
    let (raw_name, raw_type, data) = (field("filename")?, field("content_type")?, field("data")?);
    let filename = sanitize_filename(raw_name)
        .ok_or_else(|| err::ATTACHMENT_FILENAME_INVALID.err().with_log(format!("attachment {index}: file name unusable")))?;
    let content_type = normalize_content_type(raw_type)
        .ok_or_else(|| err::ATTACHMENT_TYPE_UNSUPPORTED.err().with_log(format!("attachment {index}: content type not accepted")))?;
    let bytes = decode_base64(data, too_large).map_err(|e| e.with_log(format!("attachment {index}: bad data")))?;
    if !content_matches(content_type, &bytes) {
        return Err(err::ATTACHMENT_TYPE_MISMATCH.err().with_log(format!("attachment {index}: bytes are not {content_type}")));
    }
    Ok(Upload { filename, content_type: content_type.to_owned(), bytes })
}

/// Standard base64 (line breaks and other white space tolerated, padding optional, an optional
/// `data:<type>;base64,` prefix). Checks the decoded size before decoding anything large.
pub fn decode_base64(data: &str, too_large: &Spec) -> Result<Vec<u8>, ApiError> {
    let data = match data.find(";base64,") {
        Some(at) if data.starts_with("data:") => &data[at + ";base64,".len()..],
        _ => data,
    };
    let compact: Cow<str> = if data.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(data.chars().filter(|c| !c.is_ascii_whitespace()).collect())
    } else {
        Cow::Borrowed(data)
    };
    let padding = compact.bytes().rev().take(2).take_while(|b| *b == b'=').count();
    let decoded_len = (compact.len() - padding) / 4 * 3 + ((compact.len() - padding) % 4 * 3 / 4);
    if decoded_len > MAX_BYTES {
        return Err(too_large.err());
    }
    let bytes = BASE64.decode(compact.as_bytes()).map_err(|_| err::ATTACHMENT_DATA_INVALID.err())?;
    if bytes.len() > MAX_BYTES {
        return Err(too_large.err());
    }
    if bytes.is_empty() {
        return Err(err::ATTACHMENTS_INVALID.err().with_log("empty file"));
    }
    Ok(bytes)
}

/// The accepted content type a declared one stands for (`image/JPG; x=y` -> `image/jpeg`).
pub fn normalize_content_type(declared: &str) -> Option<&'static str> {
    let base = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let base = match base.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg",
        "application/x-pdf" => "application/pdf",
        other => other,
    };
    CONTENT_TYPES.into_iter().find(|t| *t == base)
}

/// Whether the bytes are what the content type says (magic numbers; UTF-8 without NUL for text).
pub fn content_matches(content_type: &str, b: &[u8]) -> bool {
    match content_type {
        "image/png" => b.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/gif" => b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a"),
        "image/webp" => b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP",
        "image/heic" | "image/heif" => {
            b.len() >= 12
                && &b[4..8] == b"ftyp"
                && matches!(&b[8..12], b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1")
        }
        "application/pdf" => b.starts_with(b"%PDF-"),
        "text/plain" => !b.contains(&0) && std::str::from_utf8(b).is_ok(),
        _ => false,
    }
}

/// Unicode bidirectional controls that could make `evil\u{202E}gnp.exe` read as `evilexe.png`.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The last path part of a file name, without control or bidi characters, leading dots and
/// surrounding white space, shortened to [`MAX_FILENAME_CHARS`] (keeping a short extension).
/// `None` when nothing usable is left.
pub fn sanitize_filename(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).collect();
    let name = cleaned.trim().trim_start_matches('.').trim();
    if name.is_empty() {
        return None;
    }
    if name.chars().count() <= MAX_FILENAME_CHARS {
        return Some(name.to_owned());
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).filter(|e| !e.is_empty() && e.chars().count() <= 16);
    let keep = MAX_FILENAME_CHARS - ext.map_or(0, |e| e.chars().count() + 1);
    let stem: String = name.chars().take(keep).collect();
    Some(match ext {
        Some(e) => format!("{}.{e}", stem.trim_end()),
        None => stem,
    })
}

/// RFC 5987 `attr-char`s stay, everything else is percent-encoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!').remove(b'#').remove(b'$').remove(b'&').remove(b'+').remove(b'-').remove(b'.')
    .remove(b'^').remove(b'_').remove(b'`').remove(b'|').remove(b'~');

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>` (RFC 6266).
pub fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' { c } else { '_' })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{}", utf8_percent_encode(filename, ATTR_CHAR))
}

/// Uploads the attachments of one message under the ticket, in parallel. When one upload fails,
/// the ones that succeeded are deleted again and a 500 is answered.
pub async fn put_all(ctx: &'static Ctx, ticket_id: &str, uploads: Vec<Upload>) -> Result<Vec<Stored>, ApiError> {
    let mut tasks = tokio::task::JoinSet::new();
    for (index, upload) in uploads.into_iter().enumerate() {
        let id = ids::short_id(ids::ATTACHMENT);
        let key = key(ticket_id, &id);
        tasks.spawn(async move {
            let stored = Stored {
                id,
                filename: upload.filename,
                content_type: upload.content_type,
                size: upload.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&upload.bytes)),
                key,
                version_id: None,
            };
            let out = ctx
                .s3
                .put_object()
                .bucket(&ctx.config.bucket)
                .key(&stored.key)
                .content_type(&stored.content_type)
                .content_disposition(content_disposition(&stored.filename))
                .body(ByteStream::from(upload.bytes))
                .send()
                .await;
            (index, out.map(|o| Stored { version_id: o.version_id, ..stored.clone() }).map_err(|e| (stored, store::describe(&e))))
        });
    }
    let mut stored: Vec<(usize, Stored)> = Vec::new();
    let mut failure: Option<String> = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((i, Ok(s))) => stored.push((i, s)),
            Ok((_, Err((s, e)))) => {
                // A failed PUT may still have landed; delete its key too.
                stored.push((usize::MAX, s));
                failure.get_or_insert(e);
            }
            Err(e) => {
                failure.get_or_insert(format!("upload task: {e}"));
            }
        }
    }
    if let Some(cause) = failure {
        delete(ctx, &stored.into_iter().map(|(_, s)| s).collect::<Vec<_>>()).await;
        return Err(ApiError::internal(format!("attachment upload failed: {cause}")));
    }
    stored.sort_by_key(|(i, _)| *i);
    Ok(stored.into_iter().map(|(_, s)| s).collect())
}

/// Deletes stored attachments for good (the recorded version when there is one), best effort:
/// failures are logged with the object key only. Used to undo uploads whose record failed.
pub async fn delete(ctx: &Ctx, stored: &[Stored]) {
    if let Err(e) = delete_all(ctx, stored).await {
        tracing::error!(reason = e.log.as_deref().unwrap_or(""), "attachment clean-up failed");
    }
}

/// Deletes stored attachments for good, 1000 per request; any object not deleted -> 500.
pub async fn delete_all(ctx: &Ctx, stored: &[Stored]) -> Result<(), ApiError> {
    use aws_sdk_s3::types::{Delete, ObjectIdentifier};
    for chunk in stored.chunks(1000) {
        let objects = chunk
            .iter()
            .map(|s| ObjectIdentifier::builder().key(&s.key).set_version_id(s.version_id.clone()).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(ApiError::internal)?;
        let delete = Delete::builder().set_objects(Some(objects)).quiet(true).build().map_err(ApiError::internal)?;
        let out = ctx.s3.delete_objects().bucket(&ctx.config.bucket).delete(delete).send().await.map_err(store::internal)?;
        if let Some(first) = out.errors().first() {
            return Err(ApiError::internal(format!(
                "{} attachment objects not deleted, first {}: {}",
                out.errors().len(),
                first.key().unwrap_or(""),
                first.code().unwrap_or("")
            )));
        }
    }
    Ok(())
}

/// A pre-signed GET URL of one attachment, valid for `ctx.config.presign_ttl` (24 h), that
/// downloads it as a file (`Content-Disposition: attachment`) with its content type.
pub async fn presigned_url(ctx: &Ctx, stored: &Stored) -> Result<String, ApiError> {
    let config = PresigningConfig::expires_in(ctx.config.presign_ttl).map_err(ApiError::internal)?;
    let req = ctx
        .s3
        .get_object()
        .bucket(&ctx.config.bucket)
        .key(&stored.key)
        .set_version_id(stored.version_id.clone())
        .response_content_disposition(content_disposition(&stored.filename))
        .response_content_type(&stored.content_type)
        .presigned(config)
        .await
        .map_err(store::internal)?;
    Ok(req.uri().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TOO_LARGE: Spec = err::CREATE_ATTACHMENT_TOO_LARGE;
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest";

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn one(filename: &str, content_type: &str, data: &str) -> Result<Vec<Upload>, ApiError> {
        decode_all(Some(&vec![json!({"filename": filename, "content_type": content_type, "data": data})]), &TOO_LARGE)
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(sanitize_filename("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(sanitize_filename("C:\\Users\\me\\shot.png").as_deref(), Some("shot.png"));
        assert_eq!(sanitize_filename("a\u{0}b\nc\u{202E}.png").as_deref(), Some("abc.png"));
        assert_eq!(sanitize_filename("  .hidden ").as_deref(), Some("hidden"));
        assert_eq!(sanitize_filename("dir/"), None);
        assert_eq!(sanitize_filename(".."), None);
        assert_eq!(sanitize_filename("\u{7}"), None);
        let long = format!("{}.png", "x".repeat(300));
        let short = sanitize_filename(&long).unwrap();
        assert_eq!(short.chars().count(), MAX_FILENAME_CHARS);
        assert!(short.ends_with(".png"));
        assert_eq!(sanitize_filename("écran été.png").as_deref(), Some("écran été.png"));
    }

    #[test]
    fn content_types_are_checked_against_magic_bytes() {
        assert!(content_matches("image/png", PNG));
        assert!(!content_matches("image/png", b"GIF89a...."));
        assert!(content_matches("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(content_matches("image/gif", b"GIF89a...."));
        assert!(content_matches("image/webp", b"RIFF\x10\0\0\0WEBPVP8 "));
        assert!(!content_matches("image/webp", b"RIFF\x10\0\0\0WAVEfmt "));
        assert!(content_matches("image/heic", b"\0\0\0\x18ftypheic\0\0\0\0"));
        assert!(content_matches("application/pdf", b"%PDF-1.7\n"));
        assert!(content_matches("text/plain", "héllo".as_bytes()));
        assert!(!content_matches("text/plain", b"\xff\xfe"));
        assert_eq!(normalize_content_type("Image/JPG; q=1"), Some("image/jpeg"));
        assert_eq!(normalize_content_type("application/x-msdownload"), None);
    }

    #[test]
    fn base64_is_standard_with_line_breaks_tolerated() {
        let data = b64(PNG);
        let wrapped = format!("{}\r\n{}", &data[..4], &data[4..]);
        assert_eq!(one("a.png", "image/png", &wrapped).unwrap()[0].bytes, PNG);
        assert_eq!(one("a.png", "image/png", data.trim_end_matches('=')).unwrap()[0].bytes, PNG);
        assert_eq!(one("a.png", "image/png", &format!("data:image/png;base64,{data}")).unwrap()[0].bytes, PNG);
        let e = one("a.png", "image/png", "***not base64***").unwrap_err();
        assert_eq!(e.id.as_deref(), Some("attachments_data_invalid"));
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode([0xFB, 0xFF, 0xBF]);
        assert!(one("a.txt", "text/plain", &url_safe).is_err());
    }

    #[test]
    fn sizes_count_decoded_bytes() {
        for (len, ok) in [(MAX_BYTES, true), (MAX_BYTES + 1, false), (MAX_BYTES - 1, true), (MAX_BYTES + 2, false)] {
            let mut bytes = vec![b'a'; len];
            bytes[..PNG.len()].copy_from_slice(PNG);
            let res = one("big.png", "image/png", &b64(&bytes));
            match res {
                Ok(u) => assert!(ok && u[0].bytes.len() == len, "{len}"),
                Err(e) => assert!(!ok && e.status == 413 && e.details == TOO_LARGE.details(), "{len}: {e}"),
            }
        }
    }

    #[test]
    fn shapes_and_counts() {
        let good = json!({"filename": "a.png", "content_type": "image/png", "data": b64(PNG)});
        assert_eq!(decode_all(Some(&vec![good.clone(); 5]), &TOO_LARGE).unwrap().len(), 5);
        assert_eq!(decode_all(Some(&vec![good.clone(); 6]), &TOO_LARGE).unwrap_err().id.as_deref(), Some("attachments_too_many"));
        assert_eq!(decode_all(Some(&vec![json!("x")]), &TOO_LARGE).unwrap_err().id.as_deref(), Some("attachments_invalid"));
        assert_eq!(one("a.png", "image/png", "").unwrap_err().id.as_deref(), Some("attachments_invalid"));
        assert_eq!(one("a.png", "image/gif", &b64(PNG)).unwrap_err().id.as_deref(), Some("attachments_content_type_invalid"));
        assert_eq!(one("a.exe", "application/x-msdownload", &b64(b"MZ")).unwrap_err().id.as_deref(), Some("attachments_content_type_unsupported"));
        assert_eq!(one("/", "image/png", &b64(PNG)).unwrap_err().id.as_deref(), Some("attachments_filename_invalid"));
        assert!(decode_all(None, &TOO_LARGE).unwrap().is_empty());
    }

    #[test]
    fn content_disposition_has_an_ascii_fallback() {
        assert_eq!(
            content_disposition("écran \"1\".png"),
            "attachment; filename=\"_cran _1_.png\"; filename*=UTF-8''%C3%A9cran%20%221%22.png"
        );
    }
}
