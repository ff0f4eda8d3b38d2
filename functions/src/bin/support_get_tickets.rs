//! Lambda entry point of `support_get_tickets`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::list::handler).await
}
