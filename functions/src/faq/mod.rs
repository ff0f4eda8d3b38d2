//! FAQ knowledge base (issue 3): one sub-module per action.
