//! Lambda entry point of `control_support_faq_remove`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::faq::remove::handler).await
}
