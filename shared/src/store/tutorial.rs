//! Tutorial records (issue 5).
