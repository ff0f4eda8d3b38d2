//! FAQ records, question claims, votes and category counters (issue 3).
