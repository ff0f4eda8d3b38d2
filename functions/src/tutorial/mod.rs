//! Video tutorials (issue 5): one sub-module per action.
