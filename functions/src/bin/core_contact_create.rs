//! Lambda entry point of `core_contact_create`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::contact::create::handler).await
}
