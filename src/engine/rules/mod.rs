//! One file per rule kind. Each exposes `run(ctx, rule, out)`, which pushes the findings it
//! makes; the engine then sets the rule id, lowers findings with unconfirmed claims, computes
//! fingerprints and orders them.

mod after_terminal;
mod alias_suspect;
mod anachronism;
mod circular_citation;
mod conflict;
mod divergent;
mod drift;
pub(super) mod graph;
mod misquote;
mod names;
mod part_exceeds_whole;
mod quote_mismatch;
mod quote_not_found;
pub(super) mod single_origin;
mod stale;
mod sweep;
mod unattributed;
mod union_find;

use super::{Context, Finding, RuleConfig, RuleKind};

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    match rule.kind {
        RuleKind::Conflict => conflict::run(ctx, rule, out),
        RuleKind::Drift => drift::run(ctx, rule, out),
        RuleKind::Divergent => divergent::run(ctx, rule, out),
        RuleKind::Misquote => misquote::run(ctx, rule, out),
        RuleKind::PartExceedsWhole => part_exceeds_whole::run(ctx, rule, out),
        RuleKind::AfterTerminal => after_terminal::run(ctx, rule, out),
        RuleKind::AliasSuspect => alias_suspect::run(ctx, rule, out),
        RuleKind::Unattributed => unattributed::run(ctx, rule, out),
        RuleKind::CircularCitation => circular_citation::run(ctx, rule, out),
        RuleKind::Anachronism => anachronism::run(ctx, rule, out),
        RuleKind::QuoteMismatch => quote_mismatch::run(ctx, rule, out),
        RuleKind::QuoteNotFound => quote_not_found::run(ctx, rule, out),
        RuleKind::SingleOrigin => single_origin::run(ctx, rule, out),
        RuleKind::Stale => stale::run(ctx, rule, out),
    }
}
