//! `crosscheck audit` and `crosscheck timeline`: snapshots on the example data set, the audit's
//! definitions on a small data set written here (a shared child, a citation circle, a party, a
//! low grade), and the command line's exit statuses and messages.

mod common;

use std::process::Output;

use common::{EXAMPLE, example, load, root, snapshot, stderr, stdout};
use crosscheck::engine::audit::{Audit, WeakReason, audit};
use crosscheck::model::Dataset;
use crosscheck::report::audit::{render_human, render_json, render_markdown, tree_text};

/// Runs crosscheck in the crate folder, where [`EXAMPLE`] is.
fn crosscheck(args: &[&str]) -> Output {
    common::crosscheck(root(), args)
}

#[test]
fn audit_of_the_example_in_every_format() {
    let data = example();
    let audit = audit(&data);
    snapshot!("audit-example-human", render_human(&data, &audit));
    snapshot!("audit-example-markdown", render_markdown(&data, &audit));
    snapshot!("audit-example-json", render_json(&data, &audit));
}

#[test]
fn audit_command_prints_what_the_library_renders() {
    let data = example();
    let expected = render_json(&data, &audit(&data));
    let out = crosscheck(&["audit", EXAMPLE, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), expected);
    let json: serde_json::Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["sources"].as_array().unwrap().len(),
        data.sources.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.md");
    let out = crosscheck(&[
        "audit",
        EXAMPLE,
        "--format",
        "markdown",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        render_markdown(&data, &audit(&data))
    );
}

#[test]
fn audit_of_a_data_set_that_does_not_load_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "[[source]]\nid = \"x\"\n").unwrap();
    let out = crosscheck(&["audit", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("could not load the data set"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn timelines_of_the_example() {
    for (subject, name) in [
        ("TTP", "timeline-ttp-fighters"),
        ("ISIL-K", "timeline-isil-k-fighters"),
    ] {
        let out = crosscheck(&["timeline", subject, "fighters", "-C", EXAMPLE]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        snapshot!(name, stdout(&out));
    }
}

#[test]
fn timeline_resolves_names_and_aliases_like_claims_do() {
    let by_id = crosscheck(&["timeline", "ttp", "fighters", "--data", EXAMPLE]);
    let by_alias = crosscheck(&[
        "timeline",
        "pakistani taliban",
        "fighters",
        "--data",
        EXAMPLE,
    ]);
    assert_eq!(by_id.status.code(), Some(0));
    assert_eq!(by_id.stdout, by_alias.stdout);
    // Without a property: one chart per property with claims, fighters among them.
    let all = stdout(&crosscheck(&["timeline", "TTP", "-C", EXAMPLE]));
    assert!(all.contains(&stdout(&by_id)), "{all}");
    assert!(
        all.contains("Tehrik-e Taliban Pakistan leader: 1 claim\n"),
        "{all}"
    );
    let json = crosscheck(&[
        "timeline", "TTP", "fighters", "-C", EXAMPLE, "--format", "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["subject"], "ttp");
    assert_eq!(json["charts"][0]["claims"].as_array().unwrap().len(), 2);
}

#[test]
fn timeline_rejects_unknown_subjects_and_properties() {
    let out = crosscheck(&["timeline", "ISIS-Khorasn", "fighters", "-C", EXAMPLE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("no entity has the id, name or alias `ISIS-Khorasn`"),
        "{err}"
    );
    assert!(err.contains("did you mean `ISIS-Khorasan`?"), "{err}");

    let out = crosscheck(&["timeline", "TTP", "fighter", "-C", EXAMPLE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `fighters`?"),
        "{}",
        stderr(&out)
    );

    // A property that exists, but not for this subject: nothing to chart, not an error.
    let out = crosscheck(&["timeline", "TTP", "death_date", "-C", EXAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("has no claims of `death_date`"),
        "{}",
        stderr(&out)
    );
}

/// A data set with every case the audit distinguishes.
const SMALL: &str = r#"
[[entity]]
id = "group"
name = "The Group"

[[entity]]
id = "group-wing"
name = "The Group's wing"
part_of = "group"

[[entity]]
id = "other"
name = "Other Group"

[[property]]
id = "fighters"
type = "quantity"

[[source]]
id = "a-primary"
title = "A report"
kind = "primary"
grade = "A1"

[[source]]
id = "b-relay"
title = "B relays A"
cites = ["a-primary"]

[[source]]
id = "c-relay"
title = "C relays A and B"
cites = ["a-primary", "b-relay"]

[[source]]
id = "d-blog"
title = "D, a blog that relays C"
grade = "E5"
cites = ["c-relay"]

[[source]]
id = "e-ring"
title = "E cites F"
cites = ["f-ring"]

[[source]]
id = "f-ring"
title = "F cites E"
cites = ["e-ring"]

[[source]]
id = "g-spokesman"
title = "The Group's spokesman"
kind = "primary"
party = "group"

[[source]]
id = "h-news"
title = "H cites the ring and the spokesman"
cites = ["e-ring", "g-spokesman"]

[[claim]]
id = "a-fighters"
source = "a-primary"
subject = "group"
property = "fighters"
value = "100"
quote = "100 fighters"
locator = "p. 1"

[[claim]]
id = "b-fighters"
source = "b-relay"
according_to = "a-primary"
subject = "group"
property = "fighters"
value = "100"
quote = "a hundred fighters"

[[claim]]
id = "d-fighters"
source = "d-blog"
subject = "group"
property = "fighters"
value = "150"

[[claim]]
id = "h-fighters"
source = "h-news"
subject = "group"
property = "fighters"
value = "120"

[[claim]]
id = "h-wing-fighters"
source = "h-news"
according_to = "g-spokesman"
subject = "group-wing"
property = "fighters"
value = "50"

[[claim]]
id = "h-other-fighters"
source = "h-news"
according_to = "g-spokesman"
subject = "other"
property = "fighters"
value = "10"
"#;

fn small() -> (tempfile::TempDir, Dataset, Audit) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.toml"), SMALL).unwrap();
    let data = load(dir.path());
    let audit = audit(&data);
    (dir, data, audit)
}

#[test]
fn citation_tree_shows_shared_sources_once_and_marks_circles() {
    let (_dir, data, audit) = small();
    assert_eq!(
        tree_text(&data, &audit.citations),
        "\
d-blog
└── c-relay (cites)
    ├── a-primary (cites)
    └── b-relay (cites)
        └── a-primary (cites, according_to) ↑
h-news
├── e-ring (cites)
│   └── f-ring (cites)
│       └── e-ring (cites) ↻
└── g-spokesman (cites, according_to)
"
    );
}

#[test]
fn origins_per_series_follow_cites_through_circles() {
    let (_dir, data, audit) = small();
    let ids = |list: &[crosscheck::model::SourceIdx]| -> Vec<String> {
        list.iter().map(|&s| data.source(s).id.clone()).collect()
    };
    let group = audit
        .series
        .iter()
        .find(|s| data.entity(s.subject).id == "group")
        .unwrap();
    assert_eq!((group.claims, group.sources), (4, 4));
    // a-primary (a, b, and d through c), the closed circle e ↔ f and the spokesman (h).
    assert_eq!(
        ids(&group.origins),
        ["a-primary", "e-ring", "f-ring", "g-spokesman"]
    );
    let wing = audit
        .series
        .iter()
        .find(|s| data.entity(s.subject).id == "group-wing")
        .unwrap();
    assert_eq!(ids(&wing.origins), ["g-spokesman"]);
    // Sorted by subject id.
    let subjects: Vec<&str> = audit
        .series
        .iter()
        .map(|s| data.entity(s.subject).id.as_str())
        .collect();
    assert_eq!(subjects, ["group", "group-wing", "other"]);
}

#[test]
fn weak_claims_rest_on_a_low_grade_or_a_party() {
    let (_dir, data, audit) = small();
    let weak: Vec<(&str, &str, Vec<String>, usize)> = audit
        .weak
        .iter()
        .map(|w| {
            let reasons = w
                .reasons
                .iter()
                .map(|r| match *r {
                    WeakReason::LowGrade(g) => format!("grade {g}"),
                    WeakReason::Party {
                        party,
                        about_itself,
                    } => {
                        format!("party {} {about_itself}", data.entity(party).id)
                    }
                })
                .collect();
            (
                data.claim(w.claim).id.as_str(),
                data.source(w.rests_on).id.as_str(),
                reasons,
                w.other_origins,
            )
        })
        .collect();
    assert_eq!(
        weak,
        vec![
            // Its own word, graded E: the series has three other origins (the circle, the spokesman).
            ("d-fighters", "d-blog", vec!["grade E5".to_string()], 3),
            // The spokesman of the group on a part of the group, and on another group.
            (
                "h-other-fighters",
                "g-spokesman",
                vec!["party group false".to_string()],
                0
            ),
            (
                "h-wing-fighters",
                "g-spokesman",
                vec!["party group true".to_string()],
                0
            ),
        ]
    );
    // b-fighters relays a-primary (graded A1): it rests on A, not on B.
    let a = audit
        .sources
        .iter()
        .find(|u| data.source(u.source).id == "a-primary")
        .unwrap();
    assert_eq!((a.claims, a.quoted, a.located), (1, 1, 1));
    let h = audit
        .sources
        .iter()
        .find(|u| data.source(u.source).id == "h-news")
        .unwrap();
    let attributions: Vec<(&str, usize)> = h
        .attributions
        .iter()
        .map(|&(s, n)| (data.source(s).id.as_str(), n))
        .collect();
    assert_eq!(attributions, [("g-spokesman", 2)]);
    let human = render_human(&data, &audit);
    assert!(human.contains("speaks for group about itself"), "{human}");
}
