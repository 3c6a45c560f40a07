//! Reports: findings → text, in every format. Reports only read the data set and the findings;
//! they never judge.

pub mod audit;
pub mod diff;
pub mod document;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod timeline;

use crate::engine::Finding;
use crate::model::{ClaimIdx, Dataset};
use crate::source_map::Span;

/// The place a claim is shown at: its value.
pub fn claim_span(data: &Dataset, idx: ClaimIdx) -> Span {
    data.claim(idx).value_text.span
}

/// "1 error", "2 warnings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The command that accepts a finding, as reports suggest it.
pub fn accept_command(finding: &Finding) -> String {
    format!("crosscheck accept {} --reason \"…\"", finding.fingerprint)
}
