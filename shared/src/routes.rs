//! The 20 actions of the API and the HTTP methods each one answers: the one list the router,
//! the template, the events and the OpenAPI document are checked against, and the one the
//! runtime uses to refuse a wrong method before anything else happens.

/// `(methods, action)`; the path of an action is `/<action>`.
pub const ROUTES: [(&[&str], &str); 20] = [
    (&["POST"], "core_contact_create"),
    (&["GET"], "core_contact_fetch"),
    (&["POST"], "control_support_faq_create"),
    (&["GET"], "control_support_faq_fetch"),
    (&["DELETE"], "control_support_faq_remove"),
    (&["PATCH"], "control_support_faq_update"),
    (&["POST"], "support_faq_toggle_helpful"),
    (&["GET"], "support_faq_categories"),
    (&["POST"], "support_faq_rating"),
    (&["POST"], "support_ticket_create"),
    (&["GET"], "support_get_tickets"),
    (&["GET"], "support_ticket_details"),
    (&["POST"], "support_ticket_respond"),
    (&["DELETE"], "support_delete_ticket"),
    (&["PUT"], "support_update_ticket_status"),
    (&["POST"], "support_submit_feedback"),
    (&["GET"], "support_tutoral_fetch"),
    (&["POST"], "control_support_tutorial_create"),
    (&["DELETE", "GET"], "support_tutorial_remove"),
    (&["PATCH"], "support_tutorial_update"),
];

/// The methods `action` answers (empty for an unknown action).
pub fn methods(action: &str) -> &'static [&'static str] {
    ROUTES.iter().find(|(_, a)| *a == action).map(|(m, _)| *m).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_distinct_actions() {
        let mut names: Vec<&str> = ROUTES.iter().map(|(_, a)| *a).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 20);
        assert_eq!(methods("support_tutorial_remove"), &["DELETE", "GET"]);
        assert!(methods("nope").is_empty());
    }
}
