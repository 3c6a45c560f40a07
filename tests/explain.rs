//! `crosscheck explain` documents every rule: the list, and one rule in full.

mod common;

use common::{code, crosscheck, root, snapshot, stderr, stdout};

fn explain(args: &[&str]) -> (i32, String, String) {
    let output = crosscheck(root(), &[&["explain"], args].concat());
    (code(&output), stdout(&output), stderr(&output))
}

#[test]
fn lists_every_rule_and_explains_each() {
    let (code, list, _) = explain(&[]);
    assert_eq!(code, 0);
    for doc in crosscheck::engine::pack::builtin_docs() {
        assert!(list.contains(&doc.id), "{} missing from the list", doc.id);
        let (code, text, _) = explain(&[&doc.id]);
        assert_eq!(code, 0);
        for section in [
            "What it flags",
            "Why it matters",
            "Example that fires",
            "Example that does not",
            "How to silence it",
        ] {
            assert!(text.contains(section), "{}: no {section}", doc.id);
        }
    }
    snapshot!("explain-list", list);
    snapshot!("explain-drift", explain(&["drift"]).1);
}

#[test]
fn an_unknown_rule_is_refused_with_a_suggestion() {
    let (code, out, err) = explain(&["drfit"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("did you mean `drift`?"), "{err}");
}
