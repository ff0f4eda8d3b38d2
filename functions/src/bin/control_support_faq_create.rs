//! Lambda entry point of `control_support_faq_create`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::faq::create::handler).await
}
