//! Lambda entry point of `support_ticket_respond`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::respond::handler).await
}
