//! Lambda entry point of `control_support_tutorial_create`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::tutorial::create::handler).await
}
