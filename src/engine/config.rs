//! The rules a check runs: the built-in pack, overridden or extended by the data set's own
//! `[[rule]]` records. A wrong parameter is a load error pointing at its span.

use std::collections::HashMap;

use super::pack::{RuleDoc, builtin_doc, builtin_docs};
use crate::diag::Diagnostic;
use crate::load::did_you_mean;
use crate::model::{Dataset, ParamValue, RuleRecord, Selector, Severity, Spanned};
use crate::value::{parse_percentage, parse_window};

macro_rules! rule_kinds {
    ($($variant:ident = $id:literal),* $(,)?) => {
        /// What a rule does; every built-in rule is its own kind, and data sets may add rules of
        /// these kinds with other parameters or selectors.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleKind { $($variant),* }

        impl RuleKind {
            pub const ALL: &[RuleKind] = &[$(RuleKind::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $(RuleKind::$variant => $id),* }
            }

            pub fn from_id(id: &str) -> Option<RuleKind> {
                match id { $($id => Some(RuleKind::$variant),)* _ => None }
            }
        }
    };
}

rule_kinds! {
    Conflict = "conflict",
    Drift = "drift",
    Divergent = "divergent",
    Misquote = "misquote",
    PartExceedsWhole = "part-exceeds-whole",
    AfterTerminal = "after-terminal",
    AliasSuspect = "alias-suspect",
    Unattributed = "unattributed",
    CircularCitation = "circular-citation",
    Anachronism = "anachronism",
    QuoteMismatch = "quote-mismatch",
    QuoteNotFound = "quote-not-found",
    SingleOrigin = "single-origin",
    Stale = "stale",
}

/// What a rule's findings depend on: the re-check after an edit (`crate::recheck`) recomputes
/// only the findings whose inputs the edit touched, and reuses the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locality {
    /// The claims of one family (an entity and everything `part_of` it, recursively; what
    /// [`family_roots`] gives) and the records that are not claims. Each finding lists claims
    /// of one family.
    Family,
    /// The claims of one source and the records that are not claims; each finding lists claims
    /// of one source.
    Source,
    /// Only records that are not claims (entities, sources).
    Definitions,
}

impl RuleKind {
    /// What this kind's findings depend on. A new rule must say; when in doubt, `Family` is
    /// wrong and the re-check test (`tests/recheck.rs`) should catch it.
    pub fn locality(self) -> Locality {
        match self {
            RuleKind::AliasSuspect | RuleKind::CircularCitation => Locality::Definitions,
            RuleKind::Unattributed => Locality::Source,
            RuleKind::Conflict
            | RuleKind::Drift
            | RuleKind::Divergent
            | RuleKind::Misquote
            | RuleKind::PartExceedsWhole
            | RuleKind::AfterTerminal
            | RuleKind::Anachronism
            | RuleKind::QuoteMismatch
            | RuleKind::QuoteNotFound
            | RuleKind::SingleOrigin
            | RuleKind::Stale => Locality::Family,
        }
    }
}

/// Each entity's family: the index of the top of its `part_of` chain (itself when it is part of
/// nothing). `part_of` cycles are load errors, so every chain ends.
pub fn family_roots(data: &crate::model::Dataset) -> Vec<u32> {
    let mut roots: Vec<Option<u32>> = vec![None; data.entities.len()];
    for start in 0..data.entities.len() {
        let mut path = Vec::new();
        let mut at = start;
        let root = loop {
            if let Some(root) = roots[at] {
                break root;
            }
            path.push(at);
            match &data.entities[at].part_of {
                // A chain longer than the entities would be a cycle: stop rather than loop.
                Some(p) if path.len() <= data.entities.len() => at = p.value.index(),
                _ => break at as u32,
            }
        };
        for i in path {
            roots[i] = Some(root);
        }
    }
    roots.into_iter().map(|r| r.unwrap_or_default()).collect()
}

/// Every parameter any rule kind takes, with its value. A kind's documentation says which of
/// them it reads; the others keep their defaults and are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Widening of each interval before comparing, as a fraction (`0.005` for `0.5%`).
    pub tolerance: f64,
    /// Claims closer in time than this many days speak of the same time.
    pub window_days: i32,
    /// Relative change of the midpoint that counts as drift, as a fraction.
    pub threshold: f64,
    /// For `stale`: the newest claim of a series may be at most this many days old.
    pub max_age_days: i32,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            tolerance: 0.0,
            window_days: 90,
            threshold: 0.25,
            max_age_days: 730,
        }
    }
}

/// One rule as the check runs it.
#[derive(Debug, Clone)]
pub struct RuleConfig {
    pub id: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub params: Params,
    pub selector: Selector,
}

pub fn severity_from_str(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "off" => Some(Severity::Off),
        _ => None,
    }
}

/// The rules to run, in the pack's order then the data set's new rules in file order. Rules
/// set to `off` are left out.
pub fn configure(data: &Dataset) -> Result<Vec<RuleConfig>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut rules: Vec<(RuleConfig, bool)> = builtin_docs()
        .iter()
        .map(|doc| (builtin_config(doc), data.settings.default_rules))
        .collect();
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for record in &data.rules {
        if let Some(first) = seen.insert(&record.id.value, &record.id) {
            errors.push(
                Diagnostic::error(format!("rule `{}` is configured twice", record.id.value))
                    .with_primary(record.id.span, "configured again here")
                    .with_secondary(first.span, "first configured here"),
            );
            continue;
        }
        match rules.iter().position(|(r, _)| r.id == record.id.value) {
            Some(i) => {
                let (rule, enabled) = &mut rules[i];
                *enabled = true;
                apply(rule, record, &mut errors);
            }
            None => {
                if let Some(rule) = new_rule(record, &mut errors) {
                    rules.push((rule, true));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(rules
        .into_iter()
        .filter(|(r, enabled)| *enabled && r.severity != Severity::Off)
        .map(|(r, _)| r)
        .collect())
}

fn builtin_config(doc: &RuleDoc) -> RuleConfig {
    let kind = RuleKind::from_id(&doc.kind)
        .unwrap_or_else(|| panic!("rules/{}.toml: unknown kind", doc.id));
    RuleConfig {
        id: doc.id.clone(),
        kind,
        severity: severity_from_str(&doc.severity)
            .unwrap_or_else(|| panic!("rules/{}.toml: bad severity", doc.id)),
        params: default_params(doc),
        selector: Selector::default(),
    }
}

/// The kind's parameters at the defaults its documentation states.
fn default_params(doc: &RuleDoc) -> Params {
    let mut params = Params::default();
    for (name, p) in &doc.parameters {
        let value = Spanned {
            value: ParamValue::String(p.default.clone()),
            span: crate::source_map::Span::new(crate::source_map::FileId(0), 0..0),
        };
        set_param(&mut params, name, &p.ty, &value)
            .unwrap_or_else(|e| panic!("rules/{}.toml: default of {name}: {e}", doc.id));
    }
    params
}

fn new_rule(record: &RuleRecord, errors: &mut Vec<Diagnostic>) -> Option<RuleConfig> {
    let Some(kind_name) = &record.kind else {
        let ids = builtin_docs().iter().map(|d| d.id.as_str());
        let mut diag = Diagnostic::error(format!(
            "rule `{}` is not a built-in rule and has no `kind`",
            record.id.value
        ))
        .with_primary(record.id.span, "not a built-in rule id");
        diag = match did_you_mean(&record.id.value, ids) {
            Some(id) => diag.with_help(format!("did you mean the built-in rule `{id}`?")),
            None => {
                diag.with_help("add `kind = \"<built-in rule>\"` to make a new rule of that kind")
            }
        };
        errors.push(diag);
        return None;
    };
    let Some(kind) = RuleKind::from_id(&kind_name.value) else {
        let mut diag = Diagnostic::error(format!("unknown rule kind `{}`", kind_name.value))
            .with_primary(kind_name.span, "not a built-in rule kind")
            .with_note(format!(
                "kinds: {}",
                RuleKind::ALL
                    .iter()
                    .map(|k| k.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        if let Some(k) = did_you_mean(&kind_name.value, RuleKind::ALL.iter().map(|k| k.id())) {
            diag = diag.with_help(format!("did you mean `{k}`?"));
        }
        errors.push(diag);
        return None;
    };
    let doc = builtin_doc(kind.id())?;
    let mut rule = builtin_config(doc);
    rule.id = record.id.value.clone();
    apply(&mut rule, record, errors);
    Some(rule)
}

/// Applies a `[[rule]]` record's severity, selector and parameters to a rule.
fn apply(rule: &mut RuleConfig, record: &RuleRecord, errors: &mut Vec<Diagnostic>) {
    if let Some(kind) = &record.kind
        && kind.value != rule.kind.id()
    {
        errors.push(
            Diagnostic::error(format!(
                "rule `{}` is of kind `{}`; its kind cannot be changed",
                rule.id,
                rule.kind.id()
            ))
            .with_primary(kind.span, "a different kind")
            .with_help("give the new rule an id of its own"),
        );
    }
    if let Some(severity) = &record.severity {
        rule.severity = severity.value;
    }
    rule.selector = record.selector.clone();
    let Some(doc) = builtin_doc(rule.kind.id()) else {
        return;
    };
    for (key, value) in &record.params {
        let Some(param) = doc.parameters.get(&key.value) else {
            let known: Vec<&str> = doc.parameters.keys().map(String::as_str).collect();
            let mut diag = Diagnostic::error(format!(
                "rule kind `{}` has no parameter `{}`",
                rule.kind.id(),
                key.value
            ))
            .with_primary(key.span, "unknown parameter")
            .with_note(if known.is_empty() {
                format!(
                    "`{}` takes no parameters besides id, kind, severity and where",
                    rule.kind.id()
                )
            } else {
                format!("`{}` takes: {}", rule.kind.id(), known.join(", "))
            });
            if let Some(k) = did_you_mean(&key.value, known.iter().copied()) {
                diag = diag.with_help(format!("did you mean `{k}`?"));
            }
            errors.push(diag);
            continue;
        };
        if let Err(why) = set_param(&mut rule.params, &key.value, &param.ty, value) {
            errors.push(
                Diagnostic::error(format!("invalid `{}` for rule `{}`", key.value, rule.id))
                    .with_primary(value.span, why)
                    .with_help(format!(
                        "the default is `{} = \"{}\"`",
                        key.value, param.default
                    )),
            );
        }
    }
}

/// Sets one parameter from its written value, or says what was expected.
fn set_param(
    params: &mut Params,
    name: &str,
    ty: &str,
    value: &Spanned<ParamValue>,
) -> Result<(), String> {
    let text = match &value.value {
        ParamValue::String(s) => s.clone(),
        ParamValue::Number(n) if ty == "number" => n.to_string(),
        _ => {
            return Err(match ty {
                "percentage" => "expected a string such as \"10%\"".into(),
                "duration" => "expected a string such as \"90 days\"".into(),
                _ => "expected a number".into(),
            });
        }
    };
    let percentage = || parse_percentage(&text).map_err(|e| format!("expected {}", e.expected));
    let days = || {
        parse_window(&text)
            .map_err(|e| format!("expected {}", e.expected))
            .and_then(|d| i32::try_from(d).map_err(|_| "too long a duration".to_string()))
    };
    match name {
        "tolerance" => params.tolerance = percentage()?,
        "threshold" => params.threshold = percentage()?,
        "window" => params.window_days = days()?,
        "max_age" => params.max_age_days = days()?,
        other => return Err(format!("parameter `{other}` is not supported")),
    }
    Ok(())
}
