//! Contact forms: public submissions routed to a department, and their retrieval.

pub mod create;
pub mod fetch;
