//! Lambda entry point of `support_delete_ticket`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::delete::handler).await
}
