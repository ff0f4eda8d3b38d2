//! Lambda entry point of `support_faq_categories`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::faq::categories::handler).await
}
