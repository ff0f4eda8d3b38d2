//! Lambda entry point of `core_contact_fetch`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::contact::fetch::handler).await
}
