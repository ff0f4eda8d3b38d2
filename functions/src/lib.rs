//! The actions of the Support & Resources API. Each action is one module with
//! `ACTION` (its name and path) and `handler` (a `lambda_http::Request` in, the envelope out);
//! `src/bin/<action>.rs` wires it into the Lambda runtime.
//!
//! | area | actions |
//! |---|---|
//! | [`contact`] | `core_contact_create`, `core_contact_fetch` |

pub mod contact;
