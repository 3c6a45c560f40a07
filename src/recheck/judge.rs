//! What a finding depends on (its unit) and where it stands in the report.

use std::collections::HashMap;

use crate::engine::{self, Finding, Locality, Report};
use crate::model::Dataset;

use super::state::{Entry, Unit};

/// Places findings: their unit and their order.
pub(super) struct Judge<'a> {
    pub(super) data: &'a Dataset,
    pub(super) roots: &'a [u32],
    pub(super) kinds: HashMap<&'a str, Locality>,
    pub(super) ranks: HashMap<&'a str, usize>,
}

impl<'a> Judge<'a> {
    pub(super) fn new(data: &'a Dataset, report: &'a Report, roots: &'a [u32]) -> Judge<'a> {
        Judge {
            data,
            roots,
            kinds: report
                .rules
                .iter()
                .map(|r| (r.id.as_str(), r.kind.locality()))
                .collect(),
            ranks: engine::rule_ranks(&report.rules),
        }
    }

    /// The unit a finding depends on; `None` when it has none (its claims are of several).
    pub(super) fn unit(&self, f: &Finding) -> Option<Unit> {
        if f.rule == engine::STALE_ACCEPTANCE {
            return Some(Unit::Stale);
        }
        let one = |of: &dyn Fn(&crate::model::Claim) -> u32| -> Option<u32> {
            let mut all = f.claims.iter().map(|c| of(self.data.claim(c.idx)));
            let first = all.next()?;
            all.all(|x| x == first).then_some(first)
        };
        match self.kinds.get(f.rule.as_str())? {
            Locality::Definitions => f.claims.is_empty().then_some(Unit::Definitions),
            Locality::Family => one(&|c| self.roots[c.subject.value.index()]).map(Unit::Family),
            Locality::Source => one(&|c| c.source.0).map(Unit::Source),
        }
    }

    pub(super) fn entry(&self, f: &Finding) -> Option<Entry> {
        let place = f.primary_span(self.data).map(|s| (s.file.0, s.start));
        Some(Entry {
            unit: self.unit(f)?,
            severity: f.severity,
            accepted: f.accepted.is_some(),
            rule_rank: self
                .ranks
                .get(f.rule.as_str())
                .map_or(u32::MAX, |&r| r as u32),
            place,
            fingerprint: f.fingerprint.clone(),
            segment: 0,
            text: 0..0,
        })
    }
}
