//! Lambda entry point of `support_tutorial_remove`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::tutorial::remove::handler).await
}
