//! Tests of the tutorial actions.
