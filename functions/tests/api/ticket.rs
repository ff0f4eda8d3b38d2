//! Tests of the ticket actions.
