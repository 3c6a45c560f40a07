//! crosscheck: reads claim files and flags where sources contradict each other.
//!
//! The layers, each knowing only those below it (see ARCHITECTURE.md):
//! [`load`] (files → resolved [`model`] records with spans), [`value`] (strings → intervals),
//! `engine` (records → findings), `report` (findings → text) and [`cli`] on top.
pub mod accept;
pub mod cli;
pub mod diag;
pub mod engine;
pub mod export;
pub mod fsutil;
pub mod load;
pub mod model;
pub mod recheck;
pub mod report;
pub mod revision;
pub mod source_map;
pub mod value;
