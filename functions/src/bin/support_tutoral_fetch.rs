//! Lambda entry point of `support_tutoral_fetch`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::tutorial::fetch::handler).await
}
