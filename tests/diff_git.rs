//! `crosscheck diff REV` end to end, in temporary git repositories: a commit holds a data set,
//! the working tree edits it, and the diff reports what the edit adds and resolves.

mod common;

use std::path::Path;
use std::process::Output;

use common::{GitRepo, TODAY, crosscheck_command, snapshot};
use serde_json::Value;

const ENTITIES: &str = "[[entity]]\nid = \"ttp\"\nname = \"TTP\"\n";
const PROPERTIES: &str =
    "[[property]]\nid = \"fighters\"\ntype = \"quantity\"\nunit = \"fighters\"\n";
const REPORT_A: &str = r#"[[source]]
id = "report-a"
title = "A monitoring report"
published = 2024-06-01
kind = "primary"

[[claim]]
id = "a-ttp-fighters"
subject = "ttp"
property = "fighters"
value = "2,500–6,000"
"#;
const REPORT_B: &str = r#"[[source]]
id = "report-b"
title = "An independent assessment"
published = 2024-06-20
kind = "primary"

[[claim]]
id = "b-ttp-fighters"
subject = "ttp"
property = "fighters"
value = "2,500–6,000"
note = "The same range as report-a."
"#;

/// The data set these tests commit and edit, and crosscheck run in the repository.
impl GitRepo {
    /// The clean data set under `data/`.
    fn with_data(self) -> GitRepo {
        self.write("data/entities.toml", ENTITIES);
        self.write("data/properties.toml", PROPERTIES);
        self.write("data/report-a.toml", REPORT_A);
        self.write("data/report-b.toml", REPORT_B);
        self
    }

    /// report-b now says 8,000: a contradiction with report-a's 2,500–6,000.
    fn contradict(&self) {
        self.write(
            "data/report-b.toml",
            &REPORT_B.replace("value = \"2,500–6,000\"", "value = \"8,000\""),
        );
    }

    /// Runs crosscheck in `dir` (relative to the repository).
    fn run_in(&self, dir: &str, args: &[&str]) -> Run {
        let mut command = crosscheck_command();
        command
            .current_dir(self.path().join(dir))
            .args(args)
            .args(["--today", TODAY, "--color", "never"]);
        self.env(&mut command);
        Run::from(command.output().expect("crosscheck runs"), self.path())
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args)
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(out: Output, repo: &Path) -> Run {
        // A path into the repository would differ on every run: none should appear, but if
        // one does, the snapshot shows where.
        let clean = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let real = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
            text.replace(&real.display().to_string(), "[REPO]")
                .replace(&repo.display().to_string(), "[REPO]")
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: clean(&out.stdout),
            stderr: clean(&out.stderr),
        }
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

#[test]
fn reports_the_contradiction_an_edit_adds() {
    let repo = GitRepo::new().with_data();
    repo.commit_all("a data set without contradictions");
    assert_eq!(repo.run(&["check", "data"]).code, 0);
    repo.contradict();

    let run = repo.run(&["diff", "HEAD", "data"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.matches("error[conflict]").count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("-value = \"2,500–6,000\"\n+value = \"8,000\"\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("crosscheck-rev-"), "{}", run.stdout);
    snapshot!("diff-git-human", &run.stdout);

    let run = repo.run(&["diff", "HEAD", "data", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["rev"], "HEAD");
    let added = json["added"].as_array().unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["rule"], "conflict");
    assert_eq!(added[0]["severity"], "error");
    let ids: Vec<&str> = added[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a-ttp-fighters", "b-ttp-fighters"]);
    assert_eq!(json["resolved"], Value::Array(Vec::new()));
    assert_eq!(json["unchanged"], 0);
    assert_eq!(json["claims"]["added"], Value::Array(Vec::new()));
    assert_eq!(json["claims"]["removed"], Value::Array(Vec::new()));
    assert_eq!(json["claims"]["changed"][0]["id"], "b-ttp-fighters");
    assert!(
        json["claims"]["changed"][0]["diff"]
            .as_str()
            .unwrap()
            .contains("+value = \"8,000\"\n")
    );
    // The finding is the one `check --format json` reports, field for field.
    let check = repo.run(&["check", "data", "--format", "json"]).json();
    assert_eq!(check["findings"][0], added[0]);
    snapshot!("diff-git-json", &run.stdout);
}

#[test]
fn findings_already_at_the_revision_do_not_fail() {
    let repo = GitRepo::new().with_data();
    repo.contradict();
    repo.commit_all("a contradiction");
    // An unrelated edit: the contradiction stays.
    repo.write(
        "data/report-a.toml",
        &REPORT_A.replace("A monitoring report", "The monitoring report"),
    );
    assert_eq!(repo.run(&["check", "data"]).code, 1);
    let run = repo.run(&["diff", "HEAD", "data", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["added"], Value::Array(Vec::new()));
    assert_eq!(json["unchanged"], 1);
    // No claim changed: only the source's title did.
    assert_eq!(json["claims"]["changed"], Value::Array(Vec::new()));
}

#[test]
fn a_fix_resolves_the_finding_with_paths_as_in_the_working_tree() {
    let repo = GitRepo::new().with_data();
    repo.contradict();
    repo.commit_all("a contradiction");
    repo.write("data/report-b.toml", REPORT_B);
    let run = repo.run(&["diff", "HEAD", "data", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["added"], Value::Array(Vec::new()));
    let resolved = json["resolved"].as_array().unwrap();
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0]["rule"], "conflict");
    let files: Vec<&str> = resolved[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["data/report-a.toml", "data/report-b.toml"]);

    let run = repo.run(&["diff", "HEAD", "data"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("resolved: error[conflict] TTP fighters")
            && run
                .stdout
                .contains("(data/report-a.toml:11:9, fingerprint "),
        "{}",
        run.stdout
    );
}

#[test]
fn runs_from_inside_the_data_set_with_the_default_path() {
    let repo = GitRepo::new().with_data();
    repo.commit_all("clean");
    repo.contradict();
    let run = repo.run_in("data", &["diff", "HEAD"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("--> report-a.toml:11:9"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("--- HEAD:report-b.toml\n+++ report-b.toml\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_data_set_new_since_the_revision_adds_all_its_findings() {
    let repo = GitRepo::new();
    repo.write("README", "nothing yet\n");
    repo.commit_all("before the data set");
    let repo = repo.with_data();
    repo.contradict();
    let run = repo.run(&["diff", "HEAD", "data", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["added"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["claims"]["added"],
        serde_json::json!(["a-ttp-fighters", "b-ttp-fighters"])
    );
}

#[test]
fn claims_added_and_removed_are_listed_by_id() {
    let repo = GitRepo::new().with_data();
    repo.commit_all("clean");
    let extra = "\n[[claim]]\nid = \"a-ttp-fighters-2\"\nsubject = \"ttp\"\nproperty = \"fighters\"\nvalue = \"2,500–6,000\"\n";
    repo.write("data/report-a.toml", &format!("{REPORT_A}{extra}"));
    repo.write(
        "data/report-b.toml",
        &REPORT_B[..REPORT_B.find("[[claim]]").unwrap()],
    );
    let run = repo.run(&["diff", "HEAD", "data", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(
        json["claims"]["added"],
        serde_json::json!(["a-ttp-fighters-2"])
    );
    assert_eq!(
        json["claims"]["removed"],
        serde_json::json!(["b-ttp-fighters"])
    );
    let run = repo.run(&["diff", "HEAD", "data"]);
    assert!(
        run.stdout
            .contains("claim added: a-ttp-fighters-2 (data/report-a.toml:13:1)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("claim removed: b-ttp-fighters (was at data/report-b.toml:7:1 at HEAD)"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_at_the_revision_are_not_followed() {
    let repo = GitRepo::new().with_data();
    // Outside the data set: a file that would not load, and a contradiction.
    repo.write("outside/broken.toml", "this is not TOML [[[\n");
    std::fs::create_dir_all(repo.path().join("data/linked")).unwrap();
    std::os::unix::fs::symlink(
        "../outside/broken.toml",
        repo.path().join("data/broken.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../../outside", repo.path().join("data/linked/dir")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.path().join("data/passwd.toml")).unwrap();
    repo.commit_all("links");
    let run = repo.run(&["diff", "HEAD", "data"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        !run.stdout.contains("broken") && !run.stderr.contains("broken"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_revision_that_looks_like_an_option_is_refused_before_git_runs() {
    let repo = GitRepo::new().with_data();
    repo.commit_all("clean");
    // A `git` first on PATH that records any call.
    let bin = repo.path().join("fake-bin");
    let log = repo.path().join("git-was-run");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("git");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\necho \"$@\" >> '{}'\nexit 1\n", log.display()),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let target = repo.path().join("written-by-git");
    let rev = format!("--output={}", target.display());
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    for args in [
        vec!["diff", "--", rev.as_str(), "data"],
        vec!["diff", "--", "-n", "data"],
    ] {
        let mut command = crosscheck_command();
        command
            .current_dir(repo.path())
            .args(&args)
            .env("PATH", &path);
        repo.env(&mut command);
        let run = Run::from(command.output().unwrap(), repo.path());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("starts with `-`, so git would read it as an option"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
    assert!(
        !log.exists(),
        "git ran: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(!target.exists());
    // The fake git does run when REV is fine, so the check above means something.
    let mut command = crosscheck_command();
    command
        .current_dir(repo.path())
        .args(["diff", "HEAD", "data"])
        .env("PATH", &path);
    repo.env(&mut command);
    assert_eq!(command.output().unwrap().status.code(), Some(2));
    assert!(log.exists());
}

#[test]
fn an_unknown_revision_is_a_clear_error() {
    let repo = GitRepo::new().with_data();
    repo.commit_all("clean");
    let run = repo.run(&["diff", "no-such-branch", "data"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains(
            "error: unknown revision \"no-such-branch\": it names no commit in this repository"
        ),
        "{}",
        run.stderr
    );
    // A revision that names something other than a commit.
    let run = repo.run(&["diff", "HEAD:data", "data"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown revision \"HEAD:data\""),
        "{}",
        run.stderr
    );
    snapshot!("diff-git-unknown-revision", &run.stderr);
}

#[test]
fn outside_a_git_repository_is_a_clear_error() {
    let repo = GitRepo::plain().with_data();
    let run = repo.run(&["diff", "HEAD", "data"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr
            .contains("error: data is not in a git working tree"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("or use `crosscheck check`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_data_set_that_did_not_load_at_the_revision_is_a_clear_error() {
    let repo = GitRepo::new().with_data();
    repo.write(
        "data/report-b.toml",
        &REPORT_B.replace("property = \"fighters\"", "property = \"fighter\""),
    );
    repo.commit_all("broken");
    repo.write("data/report-b.toml", REPORT_B);
    let run = repo.run(&["diff", "HEAD", "data"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("--> data/report-b.toml:10:12"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("could not load the data set as it was at HEAD ("),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("crosscheck-rev-"), "{}", run.stderr);
}
