//! crosscheck: reads claim files and flags where sources contradict each other.
pub mod diag;
pub mod source_map;
pub mod value;
