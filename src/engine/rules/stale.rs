//! `stale` (off by default): a series whose newest claim is old. The newest claim is the dated
//! claim whose period ends last; when that day lies more than `max_age` before "today"
//! (`--today`, by default the system date), the data set's picture of that subject and
//! property is out of date. One finding per series, naming its newest claim (every claim that
//! ends on that day).
//!
//! Left out: `date` properties (a death or a founding does not go out of date), subjects that
//! have ended (a non-denied claim of a `terminal` property: nothing newer can be said of the
//! dead), subjects of kind `event` (what is known of a past attack does not age), denied and
//! undated claims. One pass over each series: O(claims).
//!
//! The rule is off by default: a data set enables it with `[[rule]] id = "stale"` and a
//! severity (a `--select` alone does not enable a rule that is off).

use std::collections::HashSet;

use crate::engine::series::{claim_label, series_name};
use crate::engine::{Context, Finding, RuleConfig};
use crate::model::{ClaimIdx, EntityIdx, EntityKind, PropertyType, Severity, Status};
use crate::value::format_number;

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let ended: HashSet<EntityIdx> = ctx
        .series
        .iter()
        .filter(|s| data.property(s.property).terminal)
        .filter(|s| {
            s.claims
                .iter()
                .any(|&c| data.claim(c).status != Status::Denied)
        })
        .map(|s| s.subject)
        .collect();
    let max_age = rule.params.max_age_days;
    for series in &ctx.series {
        if data.property(series.property).ty == PropertyType::Date
            || ended.contains(&series.subject)
            || data.entity(series.subject).kind == Some(EntityKind::Event)
        {
            continue;
        }
        let mut newest: Vec<ClaimIdx> = Vec::new();
        let mut newest_last = None;
        for &c in &series.claims {
            let claim = data.claim(c);
            let Some(t) = claim.as_of else { continue };
            if claim.status == Status::Denied || !ctx.selects(rule, c) {
                continue;
            }
            match newest_last {
                Some(last) if t.last < last => {}
                Some(last) if t.last == last => newest.push(c),
                _ => {
                    newest_last = Some(t.last);
                    newest = vec![c];
                }
            }
        }
        let Some(last) = newest_last else { continue };
        let age = ctx.today.0 - last.0;
        if age <= max_age {
            continue;
        }
        let name = series_name(data, series.subject, series.property, &series.scope);
        let when = data
            .claim(newest[0])
            .as_of
            .map_or_else(String::new, |t| t.to_string());
        let mut f = Finding::new(
            "stale",
            Severity::Info,
            format!(
                "{name} was last reported as of {when}, more than {} before {}",
                duration(max_age),
                ctx.today
            ),
        );
        for &c in &newest {
            f = f.claim(c, format!("newest: {}", claim_label(data, c)));
        }
        f = f.note(format!(
            "its period ends {last}, {} days ({}) before {}; max_age is {}",
            format_number(f64::from(age)),
            duration(age),
            ctx.today,
            duration(max_age)
        ));
        out.push(f.note("add a newer claim, or raise `max_age` (or narrow `where`) in the [[rule]] that enables `stale`"));
    }
}

/// A number of days in the largest unit that reads well: "2 years", "6 months", "3 weeks",
/// "1,827 days" becomes "about 5 years".
fn duration(days: i32) -> String {
    let unit = |n: i32, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    if days >= 365 && days % 365 == 0 {
        unit(days / 365, "year")
    } else if days >= 365 {
        format!(
            "about {}",
            unit((f64::from(days) / 365.25).round() as i32, "year")
        )
    } else if days >= 30 && days % 30 == 0 {
        unit(days / 30, "month")
    } else if days >= 7 && days % 7 == 0 {
        unit(days / 7, "week")
    } else {
        unit(days, "day")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(730), "2 years");
        assert_eq!(duration(365), "1 year");
        assert_eq!(duration(1827), "about 5 years");
        assert_eq!(duration(180), "6 months");
        assert_eq!(duration(14), "2 weeks");
        assert_eq!(duration(1), "1 day");
    }
}
