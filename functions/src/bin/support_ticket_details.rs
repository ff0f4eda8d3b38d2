//! Lambda entry point of `support_ticket_details`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::details::handler).await
}
