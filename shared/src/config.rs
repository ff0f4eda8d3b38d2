//! Configuration from the environment and the AWS clients, built once per process.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use tokio::sync::OnceCell;

/// The DynamoDB tables of the product. `logical_id` is the resource name in `infra/template.yaml`,
/// `env` the variable holding the deployed name, `local` the name used against the local stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Contacts,
    Faqs,
    Tickets,
    Tutorials,
    Credentials,
    Guard,
}

impl Table {
    pub const ALL: [Table; 6] =
        [Table::Contacts, Table::Faqs, Table::Tickets, Table::Tutorials, Table::Credentials, Table::Guard];

    pub fn logical_id(self) -> &'static str {
        match self {
            Table::Contacts => "ContactsTable",
            Table::Faqs => "FaqsTable",
            Table::Tickets => "TicketsTable",
            Table::Tutorials => "TutorialsTable",
            Table::Credentials => "CredentialsTable",
            Table::Guard => "GuardTable",
        }
    }

    pub fn env(self) -> &'static str {
        match self {
            Table::Contacts => "CONTACTS_TABLE",
            Table::Faqs => "FAQS_TABLE",
            Table::Tickets => "TICKETS_TABLE",
            Table::Tutorials => "TUTORIALS_TABLE",
            Table::Credentials => "CREDENTIALS_TABLE",
            Table::Guard => "GUARD_TABLE",
        }
    }

    pub fn local(self) -> &'static str {
        match self {
            Table::Contacts => "support-contacts",
            Table::Faqs => "support-faqs",
            Table::Tickets => "support-tickets",
            Table::Tutorials => "support-tutorials",
            Table::Credentials => "support-credentials",
            Table::Guard => "support-guard",
        }
    }
}

/// Logical id of the attachments bucket in the template, its variable and local name.
pub const BUCKET_LOGICAL_ID: &str = "AttachmentsBucket";
pub const BUCKET_ENV: &str = "ATTACHMENTS_BUCKET";
pub const BUCKET_LOCAL: &str = "support-attachments";

/// Deployed table names.
#[derive(Debug, Clone)]
pub struct Tables {
    pub contacts: String,
    pub faqs: String,
    pub tickets: String,
    pub tutorials: String,
    pub credentials: String,
    pub guard: String,
}

impl Tables {
    pub fn name(&self, table: Table) -> &str {
        match table {
            Table::Contacts => &self.contacts,
            Table::Faqs => &self.faqs,
            Table::Tickets => &self.tickets,
            Table::Tutorials => &self.tutorials,
            Table::Credentials => &self.credentials,
            Table::Guard => &self.guard,
        }
    }

    /// Every table named `<prefix><local name>`; tests use a prefix to get tables of their own.
    pub fn with_prefix(prefix: &str) -> Self {
        let n = |t: Table| format!("{prefix}{}", t.local());
        Tables {
            contacts: n(Table::Contacts),
            faqs: n(Table::Faqs),
            tickets: n(Table::Tickets),
            tutorials: n(Table::Tutorials),
            credentials: n(Table::Credentials),
            guard: n(Table::Guard),
        }
    }
}

/// One rate limit: at most `max` hits per `window` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: u64,
}

/// The rate limits of the contract, each overridable as `<NAME>=<max>/<seconds>`.
#[derive(Debug, Clone)]
pub struct Limits {
    pub contact_per_device: Limit,
    pub contact_per_ip: Limit,
    pub ticket_create_per_user: Limit,
    pub faq_toggle_per_user: Limit,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub tables: Tables,
    pub bucket: String,
    /// Set for the local stand-in (moto): explicit region, static credentials, path-style S3.
    pub endpoint: Option<String>,
    pub region: String,
    /// Key of the pagination token MAC.
    pub pagination_secret: Vec<u8>,
    pub limits: Limits,
    /// Contact fetch needs a signed request with `contactControl.allowView` when true.
    pub contact_fetch_requires_auth: bool,
    /// Validity of pre-signed attachment URLs.
    pub presign_ttl: Duration,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn limit(name: &str, default: Limit) -> Limit {
    var(name).and_then(|v| parse_limit(&v)).unwrap_or(default)
}

/// `"5/3600"` -> 5 hits per 3600 seconds.
pub fn parse_limit(v: &str) -> Option<Limit> {
    let (max, window) = v.trim().split_once('/')?;
    let limit = Limit { max: max.trim().parse().ok()?, window: window.trim().parse().ok()? };
    (limit.window > 0).then_some(limit)
}

impl Config {
    pub fn from_env() -> Self {
        let table = |t: Table| var(t.env()).unwrap_or_else(|| t.local().to_owned());
        Config {
            tables: Tables {
                contacts: table(Table::Contacts),
                faqs: table(Table::Faqs),
                tickets: table(Table::Tickets),
                tutorials: table(Table::Tutorials),
                credentials: table(Table::Credentials),
                guard: table(Table::Guard),
            },
            bucket: var(BUCKET_ENV).unwrap_or_else(|| BUCKET_LOCAL.to_owned()),
            endpoint: var("AWS_ENDPOINT_URL"),
            region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")).unwrap_or_else(|| "us-east-1".into()),
            pagination_secret: var("PAGINATION_SECRET")
                .unwrap_or_else(|| "local-development-pagination-secret".into())
                .into_bytes(),
            limits: Limits {
                contact_per_device: limit("CONTACT_LIMIT_PER_DEVICE", Limit { max: 5, window: 3600 }),
                contact_per_ip: limit("CONTACT_LIMIT_PER_IP", Limit { max: 30, window: 3600 }),
                ticket_create_per_user: limit("TICKET_CREATE_LIMIT_PER_USER", Limit { max: 10, window: 600 }),
                faq_toggle_per_user: limit("FAQ_TOGGLE_LIMIT_PER_USER", Limit { max: 30, window: 60 }),
            },
            contact_fetch_requires_auth: var("CONTACT_FETCH_REQUIRES_AUTH")
                .map(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
                .unwrap_or(false),
            presign_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

/// Everything a handler needs: configuration and the AWS clients.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub config: Config,
    pub ddb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
}

static GLOBAL: OnceCell<Ctx> = OnceCell::const_new();

impl Ctx {
    /// The process-wide context, built on first use from the environment.
    pub async fn global() -> &'static Ctx {
        GLOBAL.get_or_init(|| async { Ctx::new(Config::from_env()).await }).await
    }

    pub async fn new(config: Config) -> Ctx {
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(config.region.clone()));
        if let Some(endpoint) = &config.endpoint {
            // Local stand-in: no credential chain, so no instance-metadata probe at start-up.
            let key = var("AWS_ACCESS_KEY_ID").unwrap_or_else(|| "test".into());
            let secret = var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|| "test".into());
            loader = loader
                .endpoint_url(endpoint)
                .credentials_provider(Credentials::new(key, secret, None, None, "local"));
        }
        let sdk = loader.load().await;
        let ddb = aws_sdk_dynamodb::Client::new(&sdk);
        let s3_conf = aws_sdk_s3::config::Builder::from(&sdk).force_path_style(config.endpoint.is_some()).build();
        let s3 = aws_sdk_s3::Client::from_conf(s3_conf);
        Ctx { config, ddb, s3 }
    }

    /// A leaked context for tests and tools that need `&'static`.
    pub fn leak(self) -> &'static Ctx {
        Box::leak(Box::new(self))
    }

    pub fn table(&self, table: Table) -> &str {
        self.config.tables.name(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse() {
        assert_eq!(parse_limit("5/3600"), Some(Limit { max: 5, window: 3600 }));
        assert_eq!(parse_limit("5"), None);
        assert_eq!(parse_limit("5/0"), None);
    }
}
