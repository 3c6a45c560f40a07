//! The engine: resolved records → findings.
//!
//! [`check`] configures the rules ([`config`]), groups comparable claims once ([`series`]),
//! runs each rule (one file per rule under `rules/`), then does what is common to all
//! findings: lowering for unconfirmed claims, fingerprints, acceptances, a stable order.

pub mod audit;
pub mod config;
pub mod finding;
pub mod pack;
mod rules;
pub mod series;

use std::collections::HashMap;
use std::time::Instant;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::{Acceptance, ClaimIdx, Dataset, Severity, Status, Timing};
use crate::value::Day;

pub use config::{Locality, Params, RuleConfig, RuleKind, family_roots};
pub use finding::{Accepted, Finding, Involved};
pub use series::Series;

/// The rule id of the finding reported for an acceptance whose finding no longer occurs.
pub const STALE_ACCEPTANCE: &str = "stale-acceptance";

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// "Today", for `stale`; fix it for reproducible reports.
    pub today: Day,
    /// Run only the rules with these ids (all configured rules when empty).
    pub select: Vec<String>,
}

/// What a check found, in a stable order.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// The rules that ran, for reports that list them (SARIF).
    pub rules: Vec<RuleConfig>,
    /// How long each step took, for `--timings`; never part of a report. Rules run side by
    /// side, so their times overlap.
    pub timings: Vec<Timing>,
}

impl Report {
    /// Counts of unaccepted findings by severity, and of accepted ones.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.findings {
            s.count(f.severity, f.accepted.is_some());
        }
        s
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub accepted: usize,
}

impl Summary {
    /// Counts one finding.
    pub fn count(&mut self, severity: Severity, accepted: bool) {
        if accepted {
            self.accepted += 1;
            return;
        }
        match severity {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
            Severity::Off => {}
        }
    }
}

/// What every rule sees: the data set, its comparable series, and "today".
pub struct Context<'d> {
    pub data: &'d Dataset,
    pub series: Vec<Series>,
    pub today: Day,
}

impl Context<'_> {
    /// Runs `per_series` on every series, in parallel, and appends what it found to `out` in
    /// series order: rules that judge each series on its own use it, and their findings come
    /// out the same whatever the number of threads.
    pub fn for_each_series(
        &self,
        out: &mut Vec<Finding>,
        per_series: impl Fn(&Series, &mut Vec<Finding>) + Sync,
    ) {
        let found: Vec<Vec<Finding>> = self
            .series
            .par_iter()
            .map(|series| {
                let mut found = Vec::new();
                per_series(series, &mut found);
                found
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }

    /// Whether a rule's `where` selector admits a claim.
    pub fn selects(&self, rule: &RuleConfig, claim: ClaimIdx) -> bool {
        let c = self.data.claim(claim);
        let s = &rule.selector;
        (s.subjects.is_empty() || s.subjects.contains(&c.subject.value))
            && (s.properties.is_empty() || s.properties.contains(&c.property))
            && (s.sources.is_empty() || s.sources.contains(&c.source))
    }
}

/// Runs every configured rule on the data set. Errors are `[[rule]]` records that cannot be
/// applied (an unknown parameter, a bad value): like load errors, they stop the check.
pub fn check(data: &Dataset, options: &CheckOptions) -> Result<Report, Vec<Diagnostic>> {
    let mut report = check_rules(data, options, |_| true)?;
    let found: std::collections::HashSet<&str> = report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let stale = stale_acceptances(data, |fingerprint| found.contains(fingerprint));
    report.findings.extend(stale);
    let step = Instant::now();
    let ranks = rule_ranks(&report.rules);
    report
        .findings
        .par_sort_by_cached_key(|f| order_key(data, &ranks, f));
    report.timings.push(Timing::since("engine: order", step));
    Ok(report)
}

/// [`check`] with only the rules `keep` admits, without stale acceptances (they depend on
/// every finding) and in no particular order: the re-check after an edit runs the rules whose
/// findings the edit can change, on part of the data set, and orders them with the rest.
pub fn check_rules(
    data: &Dataset,
    options: &CheckOptions,
    keep: impl Fn(&RuleConfig) -> bool + Sync,
) -> Result<Report, Vec<Diagnostic>> {
    let mut rules = config::configure(data)?;
    if !options.select.is_empty() {
        check_selection(&options.select, &rules)?;
        rules.retain(|r| options.select.contains(&r.id));
    }
    let step = Instant::now();
    let ctx = Context {
        data,
        series: series::build(data),
        today: options.today,
    };
    // Rules are independent of each other: run them side by side, then join their findings
    // in rule order (the final sort makes the order of the report independent of this anyway).
    let mut timings = vec![Timing::since("engine: series", step)];
    let step = Instant::now();
    let per_rule: Vec<(Vec<Finding>, Timing)> = rules
        .par_iter()
        .filter(|rule| keep(rule))
        .map(|rule| {
            let start = Instant::now();
            let mut found = Vec::new();
            rules::run(&ctx, rule, &mut found);
            for finding in &mut found {
                finding.rule = rule.id.clone();
            }
            (found, Timing::since(format!("rule: {}", rule.id), start))
        })
        .collect();
    timings.push(Timing::since("engine: all rules", step));
    let step = Instant::now();
    let (per_rule, rule_timings): (Vec<Vec<Finding>>, Vec<Timing>) = per_rule.into_iter().unzip();
    timings.extend(rule_timings);
    let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
    findings
        .par_iter_mut()
        .for_each(|finding| finalize(data, finding));
    mark_accepted(data, &mut findings);
    timings.push(Timing::since("engine: fingerprints, acceptances", step));
    Ok(Report {
        findings,
        rules,
        timings,
    })
}

/// Every `--select`ed id must name a rule, so a typo never silently checks nothing.
fn check_selection(select: &[String], rules: &[RuleConfig]) -> Result<(), Vec<Diagnostic>> {
    let known = || {
        rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(pack::builtin_docs().iter().map(|d| d.id.as_str()))
    };
    let errors: Vec<Diagnostic> = select
        .iter()
        .filter(|id| !known().any(|k| k == id.as_str()))
        .map(|id| {
            let diag = Diagnostic::error(format!("no rule `{id}` to select"));
            match crate::load::did_you_mean(id, known()) {
                Some(near) => diag.with_help(format!("did you mean `{near}`?")),
                None => diag.with_help("`crosscheck explain` lists the rules"),
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Lowers findings with an unconfirmed claim, and computes the fingerprint.
fn finalize(data: &Dataset, finding: &mut Finding) {
    let hedged = finding
        .claims
        .iter()
        .any(|c| data.claim(c.idx).status == Status::Unconfirmed);
    if hedged {
        finding.severity = finding.severity.lowered();
        finding
            .notes
            .push("severity lowered one level: a claim involved is unconfirmed".into());
    }
    if finding.fingerprint.is_empty() {
        let mut ids = finding::record_ids(finding, data);
        finding.fingerprint = finding::fingerprint(&finding.rule, &mut ids);
    }
}

/// Marks accepted findings.
fn mark_accepted(data: &Dataset, findings: &mut [Finding]) {
    let by_fingerprint: HashMap<&str, usize> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.fingerprint.as_str(), i))
        .collect();
    let matches: Vec<(usize, &Acceptance)> = data
        .accepted
        .iter()
        .filter_map(|a| Some((*by_fingerprint.get(a.finding.value.trim())?, a)))
        .collect();
    for (i, acceptance) in matches {
        findings[i].accepted = Some(Accepted {
            reason: acceptance.reason.clone(),
            by: acceptance.by.clone(),
            date: acceptance.date.clone(),
        });
    }
}

/// A finding for each acceptance whose fingerprint matches no finding (`occurs` says which
/// fingerprints do): the finding it explained is gone.
pub fn stale_acceptances(data: &Dataset, occurs: impl Fn(&str) -> bool) -> Vec<Finding> {
    let mut stale = Vec::new();
    for acceptance in &data.accepted {
        if occurs(acceptance.finding.value.trim()) {
            continue;
        }
        let mut f = Finding::new(
            STALE_ACCEPTANCE,
            Severity::Info,
            format!(
                "acceptance of finding {} is stale: no such finding occurs any more",
                acceptance.finding.value
            ),
        )
        .note(format!("it was accepted because: {}", acceptance.reason))
        .note("remove the [[accepted]] record, or update its fingerprint if the finding changed");
        f.span = Some(acceptance.finding.span);
        let mut ids = vec![format!("accepted:{}", acceptance.finding.value)];
        f.fingerprint = finding::fingerprint(STALE_ACCEPTANCE, &mut ids);
        stale.push(f);
    }
    stale
}

/// The order of a report: errors first, then by rule (in the order rules are listed), then by
/// place (file, then offset), then fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderKey {
    pub severity: Severity,
    pub rule_rank: usize,
    /// The finding's primary place: the file as displayed and the offset in it.
    pub place: Option<(String, usize)>,
    pub fingerprint: String,
}

/// Each rule id's position in the rule list, for [`order_key`].
pub fn rule_ranks(rules: &[RuleConfig]) -> HashMap<&str, usize> {
    rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect()
}

pub fn order_key(data: &Dataset, ranks: &HashMap<&str, usize>, f: &Finding) -> OrderKey {
    OrderKey {
        severity: f.severity,
        rule_rank: ranks.get(f.rule.as_str()).copied().unwrap_or(usize::MAX),
        place: f
            .primary_span(data)
            .map(|s| (data.files.file(s.file).display.clone(), s.start as usize)),
        fingerprint: f.fingerprint.clone(),
    }
}
