//! Comparable claims (SPEC section 4): same subject after alias resolution, same property,
//! same scope. The engine groups them once, by sorting, so no rule ever loops over all pairs
//! of claims in the data set.

use rayon::prelude::*;

use crate::model::{Claim, ClaimIdx, Dataset, EntityIdx, Measure, PropertyIdx, PropertyType};
use crate::value::DayRange;

/// The claims of one subject, property and scope, ordered in time: undated claims first, then
/// by first day, last day and id.
#[derive(Debug, Clone)]
pub struct Series {
    pub subject: EntityIdx,
    pub property: PropertyIdx,
    /// The folded scope, empty when none.
    pub scope: String,
    pub claims: Vec<ClaimIdx>,
}

/// Groups every claim into its series, in a stable order (property, subject, scope).
pub fn build(data: &Dataset) -> Vec<Series> {
    // Sorting compact keys (scopes replaced by their rank among the distinct scopes) keeps the
    // sort in cache: comparing claims themselves meant a random read of two 300-byte records
    // per comparison. Ids break the remaining ties; they are unique, so the order is total and
    // the same on any number of threads.
    let scopes = distinct_scopes(data);
    let mut keys: Vec<SortKey> = (0..data.claims.len() as u32)
        .into_par_iter()
        .map(|i| {
            let c = data.claim(ClaimIdx(i));
            SortKey {
                property: c.property,
                subject: c.subject.value,
                scope: scopes
                    .binary_search(&c.scope.as_str())
                    .expect("every scope is listed") as u32,
                time: time_key(c),
                claim: ClaimIdx(i),
            }
        })
        .collect();
    keys.par_sort_unstable_by(|a, b| {
        a.group_and_time()
            .cmp(&b.group_and_time())
            .then_with(|| data.claim(a.claim).id.cmp(&data.claim(b.claim).id))
    });
    let order = keys.into_iter().map(|k| k.claim);
    let mut out: Vec<Series> = Vec::new();
    for idx in order {
        let c = data.claim(idx);
        match out.last_mut() {
            Some(s)
                if s.property == c.property
                    && s.subject == c.subject.value
                    && s.scope == c.scope =>
            {
                s.claims.push(idx)
            }
            _ => out.push(Series {
                subject: c.subject.value,
                property: c.property,
                scope: c.scope.clone(),
                claims: vec![idx],
            }),
        }
    }
    out
}

fn time_key(c: &Claim) -> (bool, Option<DayRange>) {
    (c.as_of.is_some(), c.as_of)
}

/// Where a claim goes in the order of [`build`].
struct SortKey {
    property: PropertyIdx,
    subject: EntityIdx,
    /// Rank of the claim's scope among the distinct scopes, which are sorted.
    scope: u32,
    time: (bool, Option<DayRange>),
    claim: ClaimIdx,
}

impl SortKey {
    fn group_and_time(&self) -> (PropertyIdx, EntityIdx, u32, (bool, Option<DayRange>)) {
        (self.property, self.subject, self.scope, self.time)
    }
}

/// Every scope that a claim has, sorted, without repeats (most claims have none: `""`).
fn distinct_scopes(data: &Dataset) -> Vec<&str> {
    let scopes: std::collections::BTreeSet<&str> =
        data.claims.iter().map(|c| c.scope.as_str()).collect();
    scopes.into_iter().collect()
}

/// Whether two comparable claims speak of the same time (SPEC section 4): a `date` property's
/// claims always do; an undated claim does with every claim; counts only over the very same
/// days; other claims when their periods overlap or lie less than `window_days` apart.
pub fn same_time(data: &Dataset, a: &Claim, b: &Claim, window_days: i32) -> bool {
    let property = data.property(a.property);
    if property.ty == PropertyType::Date {
        return true;
    }
    let (Some(ta), Some(tb)) = (a.as_of, b.as_of) else {
        return true;
    };
    if property.ty == PropertyType::Quantity && property.measure == Measure::Count {
        return ta == tb;
    }
    ta.gap_days(&tb) < window_days
}

/// "as of 2020", "as of 2020-07/2020-10", or "undated".
pub fn describe_time(as_of: Option<DayRange>) -> String {
    match as_of {
        Some(t) => format!("as of {t}"),
        None => "undated".into(),
    }
}

/// The label shown under a claim in reports: its value, who says it, and when.
pub fn claim_label(data: &Dataset, idx: ClaimIdx) -> String {
    let c = data.claim(idx);
    let mut label = format!("{} in {}", c.value_text.value, data.source(c.source).id);
    if let Some(a) = c.according_to.as_ref().filter(|a| a.value != c.source) {
        label.push_str(&format!(" (according to {})", data.source(a.value).id));
    }
    label.push_str(", ");
    label.push_str(&describe_time(c.as_of));
    match c.status {
        crate::model::Status::Asserted => {}
        crate::model::Status::Unconfirmed => label.push_str(", unconfirmed"),
        crate::model::Status::Denied => label.push_str(", denied"),
    }
    label
}

/// A short name for a series in messages: "TTP fighters", "ISIL-K fighters (including relatives)".
pub fn series_name(
    data: &Dataset,
    subject: EntityIdx,
    property: PropertyIdx,
    scope: &str,
) -> String {
    let mut name = format!(
        "{} {}",
        data.entity(subject).name.value,
        data.property(property).id
    );
    if !scope.is_empty() {
        name.push_str(&format!(" ({scope})"));
    }
    name
}
