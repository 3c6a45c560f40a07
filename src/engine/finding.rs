//! Findings: what a rule reports, as data. Reports render them; acceptances match them by
//! fingerprint.

use sha2::{Digest, Sha256};

use crate::model::{ClaimIdx, Dataset, EntityIdx, Severity, SourceIdx};
use crate::source_map::Span;

/// A record a finding is about, with the label shown under it in the human report.
#[derive(Debug, Clone, PartialEq)]
pub struct Involved<T> {
    pub idx: T,
    pub label: String,
    /// Where to point; `None` for the record's own place (a claim's value, an entity's id,
    /// a source's id).
    pub span: Option<Span>,
}

impl<T> Involved<T> {
    pub fn new(idx: T, label: impl Into<String>) -> Self {
        Involved {
            idx,
            label: label.into(),
            span: None,
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
}

/// The acceptance a finding matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub reason: String,
    pub by: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The id of the rule that found it (a built-in id or a data set's own).
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub claims: Vec<Involved<ClaimIdx>>,
    pub entities: Vec<Involved<EntityIdx>>,
    pub sources: Vec<Involved<SourceIdx>>,
    /// The judgement in numbers: the intervals, the gap, the change, the chain.
    pub notes: Vec<String>,
    pub fingerprint: String,
    pub accepted: Option<Accepted>,
    /// Where a finding not about claims, entities or sources points (a stale acceptance).
    pub span: Option<Span>,
}

impl Finding {
    pub fn new(rule: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity,
            message: message.into(),
            claims: Vec::new(),
            entities: Vec::new(),
            sources: Vec::new(),
            notes: Vec::new(),
            fingerprint: String::new(),
            accepted: None,
            span: None,
        }
    }

    pub fn claim(mut self, idx: ClaimIdx, label: impl Into<String>) -> Finding {
        self.claims.push(Involved::new(idx, label));
        self
    }

    pub fn entity(mut self, involved: Involved<EntityIdx>) -> Finding {
        self.entities.push(involved);
        self
    }

    pub fn source(mut self, idx: SourceIdx, label: impl Into<String>) -> Finding {
        self.sources.push(Involved::new(idx, label));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Finding {
        self.notes.push(note.into());
        self
    }

    /// The place a finding is listed by: its first claim's value, else its first entity or
    /// source, else its own span.
    pub fn primary_span(&self, data: &Dataset) -> Option<Span> {
        self.claims
            .first()
            .map(|c| c.span.unwrap_or(data.claim(c.idx).value_text.span))
            .or_else(|| {
                self.entities
                    .first()
                    .map(|e| e.span.unwrap_or(data.entity(e.idx).span))
            })
            .or_else(|| {
                self.sources
                    .first()
                    .map(|s| s.span.unwrap_or(data.source(s.idx).span))
            })
            .or(self.span)
    }
}

/// A short stable hash of the rule id and the ids of the records involved (sorted), so a
/// finding keeps its fingerprint through edits elsewhere in the data set and reordering.
pub fn fingerprint(rule: &str, record_ids: &mut Vec<String>) -> String {
    record_ids.sort();
    record_ids.dedup();
    let mut hash = Sha256::new();
    hash.update(rule.as_bytes());
    for id in record_ids.iter() {
        hash.update([0u8]);
        hash.update(id.as_bytes());
    }
    let digest = hash.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The ids a finding's fingerprint is made of, each prefixed by its record kind.
pub fn record_ids(finding: &Finding, data: &Dataset) -> Vec<String> {
    let claims = finding
        .claims
        .iter()
        .map(|c| format!("claim:{}", data.claim(c.idx).id));
    let entities = finding
        .entities
        .iter()
        .map(|e| format!("entity:{}", data.entity(e.idx).id));
    let sources = finding
        .sources
        .iter()
        .map(|s| format!("source:{}", data.source(s.idx).id));
    claims.chain(entities).chain(sources).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_order_and_is_short() {
        let a = fingerprint("conflict", &mut vec!["claim:b".into(), "claim:a".into()]);
        let b = fingerprint("conflict", &mut vec!["claim:a".into(), "claim:b".into()]);
        assert_eq!(a, b);
        assert_eq!(a.len(), 16);
        assert_ne!(
            a,
            fingerprint("drift", &mut vec!["claim:a".into(), "claim:b".into()])
        );
    }
}
