//! FAQ knowledge base (issue 3): one sub-module per action.
//!
//! Staff create, edit and retire FAQs (signed, with `helpControl.*` permissions); anyone reads
//! active FAQs, by category; signed-in users vote on them. Storage: [`shared::store::faq`].

pub mod categories;
pub mod create;
pub mod fetch;
pub mod rating;
pub mod remove;
pub mod toggle_helpful;
pub mod update;

/// Permission of FAQ create.
pub const CREATE_PERMISSION: &str = "helpControl.allowCreate";
/// Permission of FAQ update and remove.
pub const MODIFY_PERMISSION: &str = "helpControl.allowModify";
