//! `unattributed`: claims of a `secondary` source that cites other sources but does not say,
//! for these claims, which of them they come from (no `according_to`). A reader cannot weigh
//! such a figure, nor can `misquote` or `single-origin` follow it to its origin.
//!
//! One finding per source, listing its unattributed claims, so a source with forty such claims
//! is one thing to fix, not forty. A claim that is the source's own reporting says so with
//! `according_to` set to its own source, and is then attributed.
//!
//! One pass over the claims, grouped by source: O(claims + sources).

use crate::engine::series::describe_time;
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{ClaimIdx, Severity, SourceKind};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    let mut by_source: Vec<Vec<ClaimIdx>> = vec![Vec::new(); data.sources.len()];
    for idx in data.claim_indices() {
        let claim = data.claim(idx);
        let source = data.source(claim.source);
        if source.kind == SourceKind::Secondary
            && !source.cites.is_empty()
            && claim.according_to.is_none()
            && ctx.selects(rule, idx)
        {
            by_source[claim.source.index()].push(idx);
        }
    }
    for (i, claims) in by_source.iter().enumerate() {
        if claims.is_empty() {
            continue;
        }
        let source = &data.sources[i];
        let cited: Vec<&str> = source
            .cites
            .iter()
            .map(|c| data.source(c.value).id.as_str())
            .collect();
        let n = claims.len();
        let (subject, verb, pronoun) = if n == 1 {
            ("1 claim".to_string(), "does", "it comes")
        } else {
            (format!("{n} claims"), "do", "they come")
        };
        let message = if cited.len() == 1 {
            format!(
                "{subject} of {} {verb} not say whether {pronoun} from {}, the source it cites",
                source.id, cited[0]
            )
        } else {
            format!(
                "{subject} of {} {verb} not say which of its cited sources {pronoun} from",
                source.id
            )
        };
        let mut f = Finding::new("unattributed", Severity::Warning, message);
        for &c in claims {
            let claim = data.claim(c);
            let label = format!(
                "{} {}: {}, {}",
                data.entity(claim.subject.value).id,
                data.property(claim.property).id,
                claim.value_text.value,
                describe_time(claim.as_of)
            );
            f = f.claim(c, label);
        }
        let idx = crate::model::SourceIdx(i as u32);
        f.sources.push(
            Involved::new(idx, format!("a secondary source citing {}", list(&cited)))
                .at(source.cites[0].span),
        );
        f = f.note(format!("{} cites {}", source.id, list(&cited)));
        f = f.note(format!(
            "add `according_to = \"<source id>\"` to each claim it relays, or `according_to = \"{}\"` to a claim that is its own reporting",
            source.id
        ));
        out.push(f);
    }
}

/// "a", "a and b", "a, b and c", "a, b, c, d, e and 3 more".
pub(super) fn list(items: &[&str]) -> String {
    const SHOWN: usize = 5;
    match items.len() {
        0 => String::new(),
        1 => items[0].to_string(),
        n if n <= SHOWN => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
        n => format!("{} and {} more", items[..SHOWN].join(", "), n - SHOWN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(
            list(&["a", "b", "c", "d", "e", "f", "g"]),
            "a, b, c, d, e and 2 more"
        );
    }
}
