//! Lambda entry point of `control_support_faq_fetch`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::faq::fetch::handler).await
}
