//! Video tutorials (issue 5): staff publish, revise, archive and remove tutorial videos; users
//! browse what is published. One sub-module per action; records in `shared::store::tutorial`.

pub mod create;
pub mod fetch;
pub mod remove;
pub mod update;

/// Create a tutorial.
pub const PERMISSION_CREATE: &str = "helpControl.allowCreate";
/// Update and remove tutorials, read drafts, list every status.
pub const PERMISSION_MODIFY: &str = "helpControl.allowModify";
