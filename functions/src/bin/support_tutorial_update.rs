//! Lambda entry point of `support_tutorial_update`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::tutorial::update::handler).await
}
