//! The built-in rule pack: one TOML file per rule under `rules/`, compiled into the binary.
//! Each file holds the rule's id, kind, default severity, parameters and documentation, which
//! `crosscheck explain` prints and SARIF reports carry.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A rule's documentation and defaults, as written in `rules/<id>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub id: String,
    pub kind: String,
    pub severity: String,
    /// One line: what the rule flags.
    pub summary: String,
    #[serde(default)]
    pub parameters: BTreeMap<String, ParamDoc>,
    pub docs: Docs,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDoc {
    /// `percentage` ("10%"), `duration` ("90 days") or `number`.
    #[serde(rename = "type")]
    pub ty: String,
    pub default: String,
    pub description: String,
}

/// The fixed sections of a rule's documentation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what_it_flags: String,
    pub why_it_matters: String,
    pub example_that_fires: String,
    pub example_that_does_not: String,
    pub how_to_silence: String,
}

macro_rules! rule_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../rules/", $name, ".toml")))),*]
    };
}

/// Every built-in rule file, in the order rules are listed and run.
const RULE_FILES: &[(&str, &str)] = rule_files!(
    "conflict",
    "drift",
    "divergent",
    "misquote",
    "part-exceeds-whole",
    "after-terminal",
    "alias-suspect",
    "unattributed",
    "circular-citation",
    "anachronism",
    "quote-mismatch",
    "quote-not-found",
    "single-origin",
    "stale",
);

/// The built-in rules' documentation, parsed once. The files are part of the binary and a
/// unit test parses each, so a failure here is a build defect, not a user error.
pub fn builtin_docs() -> &'static [RuleDoc] {
    static DOCS: std::sync::OnceLock<Vec<RuleDoc>> = std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        RULE_FILES
            .iter()
            .map(|(name, text)| {
                toml::from_str(text).unwrap_or_else(|e| panic!("rules/{name}.toml is invalid: {e}"))
            })
            .collect()
    })
}

pub fn builtin_doc(id: &str) -> Option<&'static RuleDoc> {
    builtin_docs().iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_parses_with_every_section_filled() {
        for (name, _) in RULE_FILES {
            let doc = builtin_doc(name).expect("parsed");
            assert_eq!(
                &doc.id, name,
                "rules/{name}.toml: id must match the file name"
            );
            assert_eq!(doc.kind, doc.id, "built-in rules are their own kind");
            assert!(["error", "warning", "info", "off"].contains(&doc.severity.as_str()));
            let d = &doc.docs;
            for (section, text) in [
                ("what_it_flags", &d.what_it_flags),
                ("why_it_matters", &d.why_it_matters),
                ("example_that_fires", &d.example_that_fires),
                ("example_that_does_not", &d.example_that_does_not),
                ("how_to_silence", &d.how_to_silence),
            ] {
                assert!(
                    text.trim().len() > 20,
                    "rules/{name}.toml: section {section} is empty"
                );
            }
        }
    }

    #[test]
    fn every_rule_has_a_fixture_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
        for (name, _) in RULE_FILES {
            let dir = root.join(name);
            assert!(
                dir.is_dir(),
                "rule {name} has no fixture folder {}",
                dir.display()
            );
        }
    }
}
