//! Test harness: the stand-in context, credentials, request building and response reading.
#![allow(dead_code)]

use std::collections::HashMap;

use lambda_http::{Body, Request, Response};
use serde_json::{json, Value};
use shared::{auth, config::{Config, Tables}, Ctx};
use tokio::sync::OnceCell;

static CTX: OnceCell<&'static Ctx> = OnceCell::const_new();

fn require_stand_in() {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`, which starts the local stand-in"
    );
}

/// The shared test context (tables created once per process; creation is idempotent).
pub async fn ctx() -> &'static Ctx {
    CTX.get_or_init(|| async {
        require_stand_in();
        let ctx = Ctx::new(Config::from_env()).await.leak();
        shared::provision::create_all(ctx).await.expect("create tables and bucket");
        ctx
    })
    .await
}

/// A context with tables of its own, for tests of global state (category counts, ...).
pub async fn isolated_ctx() -> &'static Ctx {
    isolated_ctx_with(|_| {}).await
}

/// An isolated context whose configuration `tweak` may change (limits, switches).
pub async fn isolated_ctx_with(tweak: impl FnOnce(&mut Config)) -> &'static Ctx {
    require_stand_in();
    let mut config = Config::from_env();
    config.tables = Tables::with_prefix(&format!("t{}-", unique("")));
    config.bucket = format!("t{}-attachments", unique(""));
    tweak(&mut config);
    let ctx = Ctx::new(config).await.leak();
    shared::provision::create_all(ctx).await.expect("create isolated tables");
    ctx
}

/// A unique string for ids, keys, IPs and serials of one test.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}{}", shared::ids::random_hex(8))
}

/// A unique IPv4 address from the documentation/test ranges.
pub fn unique_ip() -> String {
    let b = shared::ids::random_hex(3);
    let n = u32::from_str_radix(&b, 16).unwrap();
    format!("10.{}.{}.{}", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
}

/// Issues a credential in the stand-in and returns it.
pub async fn credential(ctx: &Ctx, role: &str, permissions: &[&str]) -> auth::Credential {
    let cred = auth::new_credential(
        &unique("user_"),
        role,
        permissions.iter().map(|p| p.to_string()).collect(),
        (role == auth::ROLE_STAFF).then(|| "Sarah Johnson".to_owned()),
    );
    auth::save_credential(ctx, &cred).await.expect("save credential");
    cred
}

pub async fn user(ctx: &Ctx) -> auth::Credential {
    credential(ctx, auth::ROLE_USER, &[]).await
}

pub async fn staff(ctx: &Ctx) -> auth::Credential {
    credential(ctx, auth::ROLE_STAFF, &auth::PERMISSIONS).await
}

/// Builder of an API Gateway v2 request for one action.
#[derive(Clone)]
pub struct Req {
    method: String,
    action: String,
    query: String,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
    ip: String,
    signer: Option<(String, String, i64)>,
}

impl Req {
    pub fn new(method: &str, action: &str) -> Self {
        Req {
            method: method.into(),
            action: action.into(),
            query: String::new(),
            body: Vec::new(),
            headers: vec![("content-type".into(), "application/json".into())],
            ip: unique_ip(),
            signer: None,
        }
    }

    pub fn get(action: &str) -> Self {
        Req::new("GET", action)
    }

    pub fn post(action: &str) -> Self {
        Req::new("POST", action)
    }

    /// Raw query string as it goes on the wire (without `?`).
    pub fn query(mut self, raw: &str) -> Self {
        self.query = raw.into();
        self
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = body.to_string().into_bytes();
        self
    }

    pub fn raw_body(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self
    }

    pub fn ip(mut self, ip: &str) -> Self {
        self.ip = ip.into();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Signs with the credential at the current time.
    pub fn signed(self, cred: &auth::Credential) -> Self {
        self.signed_at(cred, shared::clock::now_secs())
    }

    pub fn signed_at(mut self, cred: &auth::Credential, timestamp: i64) -> Self {
        self.signer = Some((cred.public_key.clone(), cred.secret_key.clone(), timestamp));
        self
    }

    /// The API Gateway v2 event this request is.
    pub fn event(&self) -> Value {
        let mut headers: HashMap<String, String> = self.headers.iter().cloned().collect();
        if let Some((pk, sk, ts)) = &self.signer {
            for (k, v) in auth::signed_headers(pk, sk, *ts, &self.method, &self.action, &self.query, &self.body) {
                headers.insert(k.to_ascii_lowercase(), v);
            }
        }
        let request_id = unique("req-");
        let body = String::from_utf8(self.body.clone());
        let (body, b64) = match body {
            Ok(text) => (Value::String(text), false),
            Err(_) => {
                use base64::Engine;
                (Value::String(base64::engine::general_purpose::STANDARD.encode(&self.body)), true)
            }
        };
        json!({
            "version": "2.0",
            "routeKey": format!("{} /{}", self.method, self.action),
            "rawPath": format!("/{}", self.action),
            "rawQueryString": self.query,
            "headers": headers,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "local",
                "domainName": "localhost",
                "domainPrefix": "localhost",
                "http": {
                    "method": self.method,
                    "path": format!("/{}", self.action),
                    "protocol": "HTTP/1.1",
                    "sourceIp": self.ip,
                    "userAgent": "tests"
                },
                "requestId": request_id,
                "routeKey": format!("{} /{}", self.method, self.action),
                "stage": "$default",
                "time": "03/Dec/2026:12:00:00 +0000",
                "timeEpoch": 1796300000000i64
            },
            "body": if self.body.is_empty() { Value::Null } else { body },
            "isBase64Encoded": b64
        })
    }

    pub fn build(&self) -> Request {
        lambda_http::request::from_str(&self.event().to_string()).expect("valid API Gateway v2 event")
    }
}

/// A response read back: status, headers and JSON body.
pub struct Res {
    pub status: u16,
    pub headers: lambda_http::http::HeaderMap,
    pub json: Value,
}

impl Res {
    pub fn from(resp: Response<Body>) -> Res {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = match resp.body() {
            Body::Text(t) => t.as_bytes().to_vec(),
            Body::Binary(b) => b.clone(),
            _ => Vec::new(),
        };
        let json = serde_json::from_slice(&bytes).expect("every answer is JSON");
        Res { status, headers, json }
    }

    pub fn data(&self) -> &Value {
        &self.json["DATA"]
    }

    pub fn details(&self) -> &str {
        self.json["ERRORS"]["DETAILS"].as_str().unwrap_or("")
    }

    /// Asserts an OK envelope for `action`.
    pub fn assert_ok(&self, action: &str) -> &Self {
        assert_eq!(self.status, 200, "{}", self.json);
        assert_eq!(self.json["REQUEST"], json!({"VERSION":"1.0","ACTION":action,"STATUS":"OK"}));
        assert_eq!(self.headers["content-type"], "application/json");
        assert!(self.headers.contains_key("x-request-id"));
        self
    }

    /// Asserts a failure envelope with this status, DETAILS and (optional) ID.
    pub fn assert_error(&self, action: &str, status: u16, details: &str, id: Option<&str>) -> &Self {
        assert_eq!(self.status, status, "{}", self.json);
        assert_eq!(self.json["REQUEST"], json!({"VERSION":"1.0","ACTION":action,"STATUS":"FAILED"}));
        assert_eq!(self.json["ERRORS"]["CODE"], json!(status), "{}", self.json);
        assert_eq!(self.details(), details, "{}", self.json);
        match id {
            Some(id) => assert_eq!(self.json["ERRORS"]["ID"], json!(id), "{}", self.json),
            None => assert!(self.json["ERRORS"].get("ID").is_none(), "{}", self.json),
        }
        assert!(self.headers.contains_key("x-request-id"));
        self
    }

    /// Asserts the catalogued error `spec`.
    pub fn assert_spec(&self, action: &str, spec: &shared::errors::Spec) -> &Self {
        self.assert_error(action, spec.status, &spec.details(), spec.id)
    }
}

/// Reads an item by table key straight from the stand-in (for assertions on stored state).
pub async fn get_item(ctx: &Ctx, table: &str, pk: &str, sk: Option<&str>) -> Option<shared::store::Item> {
    let mut q = ctx.ddb.get_item().table_name(table).key("pk", shared::store::s(pk)).consistent_read(true);
    if let Some(sk) = sk {
        q = q.key("sk", shared::store::s(sk));
    }
    q.send().await.expect("get_item").item
}
