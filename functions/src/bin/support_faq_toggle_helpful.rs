//! Lambda entry point of `support_faq_toggle_helpful`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::faq::toggle_helpful::handler).await
}
