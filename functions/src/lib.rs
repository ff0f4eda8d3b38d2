//! The actions of the Support & Resources API. Each action is one module with
//! `ACTION` (its name and path) and `handler` (a `lambda_http::Request` in, the envelope out);
//! `src/bin/<action>.rs` wires it into the Lambda runtime.
//!
//! | area | actions |
//! |---|---|
//! | [`contact`] | `core_contact_create`, `core_contact_fetch` |
//! | [`faq`] | `control_support_faq_create`, `control_support_faq_fetch`, `control_support_faq_update`, `control_support_faq_remove`, `support_faq_toggle_helpful`, `support_faq_rating`, `support_faq_categories` |
//! | [`ticket`] | `support_ticket_create`, `support_get_tickets`, `support_ticket_details`, `support_ticket_respond`, `support_delete_ticket`, `support_update_ticket_status`, `support_submit_feedback` |
//! | [`tutorial`] | `support_tutoral_fetch`, `control_support_tutorial_create`, `support_tutorial_update`, `support_tutorial_remove` |

pub mod contact;
pub mod faq;
pub mod ticket;
pub mod tutorial;
