//! Lambda entry point of `support_update_ticket_status`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::status::handler).await
}
