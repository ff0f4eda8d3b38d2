//! Support tickets with S3 attachments (issue 4): one sub-module per action.
