//! Lambda entry point of `support_ticket_create`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::create::handler).await
}
