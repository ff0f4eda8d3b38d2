//! Lambda entry point of `support_faq_rating`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::faq::rating::handler).await
}
