//! `support-admin`: the operator's command line tool (not a Lambda).
//!
//! ```text
//! support-admin init                                  create tables and bucket from infra/template.yaml
//! support-admin issue --user ID [--role user|staff] [--perm P]... [--name NAME] [--expires-in SECS]
//! support-admin revoke --key PUBLIC_KEY
//! support-admin demo-credentials [--out .local/credentials.json]
//! support-admin sign METHOD ACTION [--query Q] [--data JSON|@FILE] (--as NAME [--credentials FILE] | --key K --secret S)
//! support-admin request METHOD ACTION [same options] [--url http://127.0.0.1:9000]
//! ```
//! Table and bucket names come from the same environment variables the functions read
//! (`CONTACTS_TABLE`, ..., `AWS_ENDPOINT_URL` for the local stand-in).

use std::process::{Command, ExitCode};

use serde_json::{json, Value};
use shared::{auth, config::Config, Ctx};

const USAGE: &str = "usage: support-admin <init|issue|revoke|demo-credentials|sign|request> [options]\n\
  init                               create tables and bucket (idempotent)\n\
  issue --user ID [--role user|staff] [--perm P]... [--name NAME] [--expires-in SECS]\n\
  revoke --key PUBLIC_KEY\n\
  demo-credentials [--out FILE]      issue staff, user and other_user and write them as JSON\n\
  sign METHOD ACTION [--query Q] [--data JSON|@FILE] [--timestamp UNIX] (--as staff|user|other_user [--credentials FILE] | --key K --secret S)\n\
  request METHOD ACTION [...sign options] [--url BASE]   sign and send with curl";

struct Args {
    positional: Vec<String>,
    options: Vec<(String, String)>,
}

impl Args {
    fn parse(raw: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut positional = Vec::new();
        let mut options = Vec::new();
        let mut it = raw.peekable();
        while let Some(a) = it.next() {
            if a == "--help" || a == "-h" {
                positional.insert(0, "help".to_owned());
            } else if let Some(name) = a.strip_prefix("--") {
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                options.push((name.to_owned(), value));
            } else {
                positional.push(a);
            }
        }
        Ok(Args { positional, options })
    }

    fn one(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.options.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

/// Prints a line; a closed pipe (`| head`) ends the output quietly instead of panicking.
macro_rules! println {
    () => { out(String::new()) };
    ($($arg:tt)*) => { out(format!($($arg)*)) };
}

fn out(line: String) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}").is_err() {
        std::process::exit(0);
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("support-admin: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn ctx() -> &'static Ctx {
    Ctx::new(Config::from_env()).await.leak()
}

async fn run() -> Result<(), String> {
    let args = Args::parse(std::env::args().skip(1))?;
    let Some(command) = args.positional.first().cloned() else { return Err(USAGE.into()) };
    match command.as_str() {
        "init" => {
            let created = shared::provision::create_all(ctx().await).await?;
            println!("{}", json!({"created": created}));
            Ok(())
        }
        "issue" => {
            let cred = issue(ctx().await, &args).await?;
            println!("{}", serde_json::to_string_pretty(&credential_json(&cred)).unwrap());
            Ok(())
        }
        "revoke" => {
            let key = args.one("key").ok_or("revoke needs --key")?;
            let ctx = ctx().await;
            let mut cred = auth::load_credential(ctx, key).await.map_err(|e| e.to_string())?.ok_or("no such key")?;
            cred.status = "revoked".into();
            auth::save_credential(ctx, &cred).await.map_err(|e| e.to_string())?;
            println!("{}", json!({"revoked": key}));
            Ok(())
        }
        "demo-credentials" => demo_credentials(ctx().await, args.one("out").unwrap_or(".local/credentials.json")).await,
        "sign" => {
            let signed = sign(&args)?;
            println!("{}", serde_json::to_string_pretty(&signed.to_json()).unwrap());
            Ok(())
        }
        "request" => request(&args),
        "help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other}\n{USAGE}")),
    }
}

fn credential_json(c: &auth::Credential) -> Value {
    json!({
        "public_key": c.public_key,
        "secret_key": c.secret_key,
        "user_id": c.user_id,
        "role": c.role,
        "permissions": c.permissions,
        "display_name": c.display_name,
    })
}

async fn issue(ctx: &Ctx, args: &Args) -> Result<auth::Credential, String> {
    let user = args.one("user").ok_or("issue needs --user")?;
    let role = args.one("role").unwrap_or(auth::ROLE_USER);
    if role != auth::ROLE_USER && role != auth::ROLE_STAFF {
        return Err("--role is user or staff".into());
    }
    let perms = args.all("perm");
    for p in &perms {
        if !auth::PERMISSIONS.contains(&p.as_str()) {
            return Err(format!("unknown permission {p}; known: {}", auth::PERMISSIONS.join(", ")));
        }
    }
    let mut cred = auth::new_credential(user, role, perms, args.one("name").map(str::to_owned));
    if let Some(secs) = args.one("expires-in") {
        let secs: i64 = secs.parse().map_err(|_| "--expires-in takes seconds")?;
        cred.expires_at = Some(shared::clock::now_secs() + secs);
    }
    auth::save_credential(ctx, &cred).await.map_err(|e| e.to_string())?;
    Ok(cred)
}

async fn demo_credentials(ctx: &Ctx, out: &str) -> Result<(), String> {
    let all = auth::PERMISSIONS.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    let mut doc = serde_json::Map::new();
    for (name, user, role, perms, display) in [
        ("staff", "staff_demo", auth::ROLE_STAFF, all, Some("Sarah Johnson".to_owned())),
        ("user", "user_demo", auth::ROLE_USER, vec![], None),
        ("other_user", "other_user_demo", auth::ROLE_USER, vec![], None),
    ] {
        let cred = auth::new_credential(user, role, perms, display);
        auth::save_credential(ctx, &cred).await.map_err(|e| e.to_string())?;
        doc.insert(name.into(), credential_json(&cred));
    }
    if let Some(dir) = std::path::Path::new(out).parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(out, serde_json::to_string_pretty(&Value::Object(doc)).unwrap()).map_err(|e| format!("{out}: {e}"))?;
    println!("{}", json!({"written": out}));
    Ok(())
}

struct Signed {
    method: String,
    action: String,
    query: String,
    body: Vec<u8>,
    headers: [(&'static str, String); 3],
}

impl Signed {
    fn to_json(&self) -> Value {
        let headers: serde_json::Map<String, Value> =
            self.headers.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        json!({"method": self.method, "path": format!("/{}", self.action), "query": self.query, "headers": headers})
    }
}

fn sign(args: &Args) -> Result<Signed, String> {
    let method = args.positional.get(1).ok_or("missing METHOD")?.to_ascii_uppercase();
    let action = args.positional.get(2).ok_or("missing ACTION")?.trim_start_matches('/').to_owned();
    let query = args.one("query").unwrap_or("").trim_start_matches('?').to_owned();
    let body = match args.one("data") {
        None => Vec::new(),
        Some(d) if d.starts_with('@') => std::fs::read(&d[1..]).map_err(|e| format!("{}: {e}", &d[1..]))?,
        Some(d) => d.as_bytes().to_vec(),
    };
    let (key, secret) = match (args.one("key"), args.one("secret")) {
        (Some(k), Some(s)) => (k.to_owned(), s.to_owned()),
        _ => {
            let who = args.one("as").ok_or("give --as NAME or --key and --secret")?;
            let file = args.one("credentials").unwrap_or(".local/credentials.json");
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
            let c = doc.get(who).ok_or_else(|| format!("{file} has no credential {who}"))?;
            let field = |f: &str| c.get(f).and_then(Value::as_str).map(str::to_owned).ok_or(format!("{who}.{f} missing"));
            (field("public_key")?, field("secret_key")?)
        }
    };
    let timestamp = match args.one("timestamp") {
        None => shared::clock::now_secs(),
        Some(t) => t.parse().map_err(|_| "--timestamp takes unix seconds")?,
    };
    let headers = auth::signed_headers(&key, &secret, timestamp, &method, &action, &query, &body);
    Ok(Signed { method, action, query, body, headers })
}

fn request(args: &Args) -> Result<(), String> {
    let signed = sign(args)?;
    let base = args.one("url").unwrap_or("http://127.0.0.1:9000").trim_end_matches('/');
    let mut url = format!("{base}/{}", signed.action);
    if !signed.query.is_empty() {
        // Sent in its canonical (percent-encoded) form: a space or `+` typed on the command line
        // reaches the API as meant, and the signature covers the same pairs.
        url = format!("{url}?{}", auth::canonical_query(&signed.query));
    }
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "-i", "-X", &signed.method, &url, "-H", "Content-Type: application/json"]);
    for (k, v) in &signed.headers {
        cmd.args(["-H", &format!("{k}: {v}")]);
    }
    if !signed.body.is_empty() {
        cmd.args(["--data-binary", "@-"]);
    }
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("curl: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped");
        stdin.write_all(&signed.body).map_err(|e| e.to_string())?;
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    println!();
    if status.success() { Ok(()) } else { Err(format!("curl exited with {status}")) }
}
