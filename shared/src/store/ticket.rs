//! Tickets, messages, attachments metadata, feedback, audit and notification records (issue 4).
