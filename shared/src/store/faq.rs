//! FAQ records, question claims, votes and category counters (issue 3).
//!
//! All in the FAQs table (`pk`/`sk`, sparse overloaded indexes `gsi1`/`gsi2`):
//!
//! | item | `pk` | `sk` | index keys |
//! |---|---|---|---|
//! | FAQ | `FAQ#<marker>` | `FAQ` | active only: `gsi1pk = FAQS#active`, `gsi2pk = FAQS#<category>`; both `gsi?sk = <13-digit ms>#<marker>` |
//! | vote of one user | `FAQ#<marker>` | `VOTE#<user id>` | — |
//! | question claim | `FAQQ#<sha-256 of the normalised question>` | `CLAIM` | — |
//! | category counter | `FAQCATS` | `<category id>` | — |
//!
//! Every write that changes what is counted or claimed (create, update, remove, vote) is one
//! DynamoDB transaction: the FAQ item (conditioned on the version that was read), its question
//! claim and its category counters, or the vote item (conditioned on the previous vote) and the
//! FAQ's vote counters. A condition lost to a concurrent writer is retried from a fresh read.

pub mod category;
pub mod record;
pub mod text;
pub mod vote;
pub mod write;

pub use category::{Category, CATEGORIES};
pub use record::Faq;

/// `pk` of an FAQ and of its votes.
pub fn pk(marker: &str) -> String {
    format!("FAQ#{marker}")
}

/// `sk` of the FAQ item itself.
pub const SK: &str = "FAQ";

/// `sk` of one user's vote on an FAQ.
pub fn vote_sk(user_id: &str) -> String {
    format!("VOTE#{user_id}")
}

/// `gsi1pk` of every active FAQ (newest-first list).
pub const ACTIVE_PK: &str = "FAQS#active";

/// `gsi2pk` of the active FAQs of one category.
pub fn category_list_pk(category: &str) -> String {
    format!("FAQS#{category}")
}

/// `pk` of the uniqueness claim of a normalised question (by its hash).
pub fn claim_pk(question_key: &str) -> String {
    format!("FAQQ#{question_key}")
}

pub const CLAIM_SK: &str = "CLAIM";

/// `pk` of the category counters (one item per category, `sk` = category id).
pub const COUNTERS_PK: &str = "FAQCATS";

/// Table and index key attributes of a list item read through `gsi1`.
pub const GSI1_KEY_ATTRS: [&str; 4] = ["pk", "sk", "gsi1pk", "gsi1sk"];
/// Table and index key attributes of a list item read through `gsi2`.
pub const GSI2_KEY_ATTRS: [&str; 4] = ["pk", "sk", "gsi2pk", "gsi2sk"];

/// Status of an FAQ users can see.
pub const ACTIVE: &str = "active";
/// Status of a soft-deleted FAQ.
pub const REMOVED: &str = "removed";

/// Longest question accepted, in characters (as sent, before encoding).
pub const QUESTION_MAX: usize = 500;
/// Longest answer accepted, in characters (as sent, before encoding).
pub const ANSWER_MAX: usize = crate::input::MAX_TEXT;
/// Longest vote feedback accepted, in characters.
pub const FEEDBACK_MAX: usize = 2_000;
