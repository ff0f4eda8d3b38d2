//! Tests of the faq actions.
