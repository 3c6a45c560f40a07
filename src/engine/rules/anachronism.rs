//! `anachronism`: time running backwards between a claim and its source. Two cases, one finding
//! per claim (both reasons in one finding when both hold):
//!
//! - the claim's `as_of`, as written on the claim, starts after its source was published
//!   (`as_of.first > published.last`): a document cannot report what held after it appeared.
//!   An `as_of` that was not written but taken from a `published` date never fires: it cannot
//!   be later than the publication it was taken from, except through `according_to`, which is
//!   the second case;
//! - the claim's `according_to` source was published after the citing source
//!   (`according_to.published.first > source.published.last`): a document cannot relay a
//!   report that did not exist yet. A claim attributed to its own source is not checked.
//!
//! Sources without `published` are not checked. One pass over the claims: O(claims).

use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{Claim, Dataset, Severity, SourceIdx};
use crate::value::format_number;

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    for idx in data.claim_indices() {
        if !ctx.selects(rule, idx) {
            continue;
        }
        let claim = data.claim(idx);
        let source = data.source(claim.source);
        let Some(published) = &source.published else {
            continue;
        };
        let late_period = claim
            .as_of
            .filter(|t| as_of_written(data, claim) && t.first > published.value.last);
        let late_source = claim
            .according_to
            .as_ref()
            .filter(|a| a.value != claim.source)
            .and_then(|a| {
                let p = data.source(a.value).published.as_ref()?;
                (p.value.first > published.value.last).then_some((a.value, p))
            });
        if late_period.is_none() && late_source.is_none() {
            continue;
        }
        let what = series_name(data, claim.subject.value, claim.property, &claim.scope);
        let mut message = format!("{} (published {}) ", source.id, published.value);
        let mut notes = Vec::new();
        if let Some(t) = late_period {
            message.push_str(&format!(
                "gives {what} as of {t}, a period that starts after it was published"
            ));
            notes.push(format!(
                "the claim's period starts {}, {} after {} was published ({})",
                t.first,
                days(t.first.0 - published.value.last.0),
                source.id,
                published.value
            ));
        }
        if let Some((according_to, p)) = late_source {
            let a = &data.source(according_to).id;
            if late_period.is_some() {
                message.push_str(&format!(
                    ", and attributes it to {a}, published later ({})",
                    p.value
                ));
            } else {
                message.push_str(&format!(
                    "attributes {what} to {a}, which was published later ({})",
                    p.value
                ));
            }
            notes.push(format!(
                "{a} was published {}, {} after {} ({}): a document cannot relay one that did not exist yet",
                p.value,
                days(p.value.first.0 - published.value.last.0),
                source.id,
                published.value
            ));
        }
        let mut f = Finding::new("anachronism", Severity::Error, message)
            .claim(idx, claim_label(data, idx));
        f.sources.push(
            Involved::new(claim.source, format!("published {}", published.value))
                .at(published.span),
        );
        if let Some((according_to, p)) = late_source {
            f.sources
                .push(Involved::new(according_to, format!("published {}", p.value)).at(p.span));
        }
        if late_period.is_some() {
            notes.push(
                "if the date is a typo, fix `as_of`; if the source projects a future value, give the claim a `scope` such as \"projection\""
                    .into(),
            );
        }
        f.notes = notes;
        out.push(f);
    }
}

/// Whether the claim's `as_of` was written on the claim, rather than taken from the
/// `published` date of its source or of its `according_to` source.
pub(super) fn as_of_written(data: &Dataset, claim: &Claim) -> bool {
    let Some(span) = claim.as_of_span else {
        return false;
    };
    let published_at = |s: SourceIdx| data.source(s).published.as_ref().map(|p| p.span);
    published_at(claim.source) != Some(span)
        && claim
            .according_to
            .as_ref()
            .is_none_or(|a| published_at(a.value) != Some(span))
}

/// "1 day", "276 days".
fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{} days", format_number(f64::from(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Day, DayRange};

    fn starts_after(late: DayRange, early: DayRange) -> bool {
        late.first > early.last
    }

    fn range(a: (i32, u32, u32), b: (i32, u32, u32)) -> DayRange {
        DayRange::new(
            Day::from_ymd(a.0, a.1, a.2).unwrap(),
            Day::from_ymd(b.0, b.1, b.2).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_period_overlapping_publication_is_not_late() {
        let published = range((2024, 3, 1), (2024, 3, 31));
        assert!(!starts_after(
            range((2024, 1, 1), (2024, 12, 31)),
            published
        ));
        assert!(starts_after(range((2024, 4, 1), (2024, 4, 30)), published));
    }

    #[test]
    fn day_counts_read_well() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(1200), "1,200 days");
    }
}
