//! `crosscheck explain [RULE]`: a rule's documentation, or the list of rules.

use clap::Args;

use crate::engine::pack::{RuleDoc, builtin_doc, builtin_docs};
use crate::load::did_you_mean;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id, such as `drift`. Without it, every rule is listed.
    pub rule: Option<String>,
}

pub fn run(args: ExplainArgs) -> u8 {
    match args.rule {
        None => {
            print!("{}", list());
            0
        }
        Some(id) => match builtin_doc(&id) {
            Some(doc) => {
                print!("{}", explain(doc));
                0
            }
            None => {
                eprintln!("error: no rule `{id}`");
                if let Some(near) = did_you_mean(&id, builtin_docs().iter().map(|d| d.id.as_str()))
                {
                    eprintln!("help: did you mean `{near}`?");
                }
                eprintln!("help: `crosscheck explain` lists every rule");
                super::EXIT_BAD_INPUT
            }
        },
    }
}

/// One line per rule: id, default severity, summary.
pub fn list() -> String {
    let width = builtin_docs().iter().map(|d| d.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for doc in builtin_docs() {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            doc.id, doc.severity, doc.summary
        ));
    }
    out.push_str("\nRun `crosscheck explain RULE` for a rule's documentation.\n");
    out
}

/// A rule's whole documentation as text.
pub fn explain(doc: &RuleDoc) -> String {
    let mut out = format!(
        "{} (default severity: {})\n\n{}\n",
        doc.id, doc.severity, doc.summary
    );
    let d = &doc.docs;
    for (title, text) in [
        ("What it flags", &d.what_it_flags),
        ("Why it matters", &d.why_it_matters),
        ("Example that fires", &d.example_that_fires),
        ("Example that does not", &d.example_that_does_not),
        ("How to silence it", &d.how_to_silence),
    ] {
        out.push_str(&format!("\n## {title}\n\n{}\n", text.trim_end()));
    }
    if !doc.parameters.is_empty() {
        out.push_str("\n## Parameters\n\n");
        for (name, p) in &doc.parameters {
            out.push_str(&format!(
                "- `{name}` ({}, default \"{}\"): {}\n",
                p.ty,
                p.default,
                p.description.trim()
            ));
        }
    }
    out
}
