//! The CI files of `docs/ci/` (shown in the README's "Use in CI") do what they say: every
//! `crosscheck …` command of the GitHub workflow and of the pre-commit hooks is taken from the
//! files, pointed at the crosscheck under test, and run in a temporary git repository holding a
//! copy of a data set, with the variables GitHub Actions sets. The pre-commit hook also runs as
//! a real hook under `git commit`. And the README shows the files exactly as they are.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::GitRepo;

const WORKFLOW: &str = include_str!("../docs/ci/crosscheck.yml");
const HOOK: &str = include_str!("../docs/ci/pre-commit");
const PRE_COMMIT_CONFIG: &str = include_str!("../docs/ci/pre-commit-config.yaml");
const README: &str = include_str!("../README.md");

/// Where the CI files expect the data set.
const DATA: &str = "examples/afghanistan";

const ENTITIES: &str = "[[entity]]\nid = \"ttp\"\nname = \"TTP\"\n";
const PROPERTIES: &str =
    "[[property]]\nid = \"fighters\"\ntype = \"quantity\"\nunit = \"fighters\"\n";
const REPORT_A: &str = "[[source]]\nid = \"report-a\"\ntitle = \"A monitoring report\"\npublished = 2024-06-01\nkind = \"primary\"\n\n[[claim]]\nid = \"a-ttp-fighters\"\nsubject = \"ttp\"\nproperty = \"fighters\"\nvalue = \"2,500–6,000\"\n";
const REPORT_B: &str = "[[source]]\nid = \"report-b\"\ntitle = \"An independent assessment\"\npublished = 2024-06-20\nkind = \"primary\"\n\n[[claim]]\nid = \"b-ttp-fighters\"\nsubject = \"ttp\"\nproperty = \"fighters\"\nvalue = \"2,500–6,000\"\n";

#[test]
fn the_readme_shows_the_ci_files_as_they_are() {
    for (file, text, language) in [
        ("docs/ci/crosscheck.yml", WORKFLOW, "yaml"),
        ("docs/ci/pre-commit", HOOK, "sh"),
        ("docs/ci/pre-commit-config.yaml", PRE_COMMIT_CONFIG, "yaml"),
    ] {
        let block = format!("```{language}\n{text}```\n");
        assert!(
            README.contains(&block),
            "README.md does not show {file} as it is; paste it again:\n{block}"
        );
    }
}

/// A `run:` command of the workflow, with the job it is in.
#[derive(Debug)]
struct Step {
    job: String,
    command: String,
}

/// Every `run:` command (one line, or a `|` block) whose first word is `crosscheck`.
fn workflow_commands(yaml: &str) -> Vec<Step> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut steps = Vec::new();
    let mut job = String::new();
    let mut in_jobs = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start().trim_start_matches("- ");
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            i += 1;
            continue;
        }
        if indent == 0 {
            in_jobs = line.starts_with("jobs:");
        } else if in_jobs && indent == 2 && trimmed.ends_with(':') && !trimmed.starts_with('#') {
            job = trimmed.trim_end_matches(':').to_string();
        }
        i += 1;
        let Some(value) = trimmed.strip_prefix("run:") else {
            continue;
        };
        let value = value.trim();
        let mut commands = Vec::new();
        if value == "|" || value == ">" {
            while i < lines.len()
                && (lines[i].trim().is_empty()
                    || lines[i].len() - lines[i].trim_start().len() > indent)
            {
                commands.push(lines[i].trim().to_string());
                i += 1;
            }
        } else {
            commands.push(value.to_string());
        }
        steps.extend(
            commands
                .into_iter()
                .filter(|c| c.starts_with("crosscheck "))
                .map(|command| Step {
                    job: job.clone(),
                    command,
                }),
        );
    }
    steps
}

/// The hook script's lines that run crosscheck.
fn hook_commands(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("crosscheck "))
        .map(String::from)
        .collect()
}

/// The `entry:` of each pre-commit hook.
fn pre_commit_entries(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|l| l.trim().strip_prefix("entry:"))
        .map(|e| e.trim().to_string())
        .collect()
}

/// The command with the crosscheck under test in place of `crosscheck`.
fn under_test(command: &str) -> String {
    let rest = command
        .strip_prefix("crosscheck")
        .expect("a crosscheck command");
    format!("'{}'{rest}", env!("CARGO_BIN_EXE_crosscheck"))
}

/// A git repository on branch `main` with a clean data set at [`DATA`], where `crosscheck` is
/// first on `PATH`.
struct Repo {
    repo: GitRepo,
    /// Holds `crosscheck`, for the hook run by git.
    bin: tempfile::TempDir,
    summary: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_crosscheck"),
            bin.path().join("crosscheck"),
        )
        .unwrap();
        let summary = bin.path().join("step-summary.md");
        let repo = Repo {
            repo: GitRepo::new().with_first_on_path(bin.path()),
            bin,
            summary,
        };
        repo.git(&["checkout", "-q", "-b", "main"]);
        repo.write("entities.toml", ENTITIES);
        repo.write("properties.toml", PROPERTIES);
        repo.write("report-a.toml", REPORT_A);
        repo.write("report-b.toml", REPORT_B);
        repo
    }

    fn path(&self) -> &Path {
        self.repo.path()
    }

    /// Sets up `command` to run in the repository, and to see it alone.
    fn env(&self, command: &mut Command) {
        self.repo.env(command);
        command.current_dir(self.path());
    }

    /// What GitHub Actions sets for a pull request from `feature` into `main`.
    fn github_env(&self, command: &mut Command, event: &str) {
        command
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", event)
            .env("GITHUB_WORKSPACE", self.path())
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("RUNNER_TEMP", self.bin.path());
        if event == "pull_request" {
            command
                .env("GITHUB_BASE_REF", "main")
                .env("GITHUB_HEAD_REF", "feature");
        } else {
            command
                .env("GITHUB_BASE_REF", "")
                .env("GITHUB_HEAD_REF", "");
        }
    }

    fn git(&self, args: &[&str]) {
        self.repo.git(args);
    }

    /// Writes the data set's file `name`.
    fn write(&self, name: &str, text: &str) {
        self.repo.write(&format!("{DATA}/{name}"), text);
    }

    fn contradict(&self) {
        self.write(
            "report-b.toml",
            &REPORT_B.replace("value = \"2,500–6,000\"", "value = \"8,000\""),
        );
    }

    fn commit_all(&self, message: &str) {
        self.repo.commit_all(message);
    }

    /// Runs a workflow step's command as GitHub does (`bash -e -o pipefail`).
    fn step(&self, step: &Step, event: &str) -> (i32, String, String) {
        let mut command = Command::new("bash");
        command.args([
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            &under_test(&step.command),
        ]);
        self.env(&mut command);
        self.github_env(&mut command, event);
        let out = command.output().expect("bash runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn sh(&self, command: &str) -> i32 {
        let mut sh = Command::new("sh");
        sh.args(["-c", &under_test(command)]);
        self.env(&mut sh);
        sh.output().expect("sh runs").status.code().unwrap_or(-1)
    }
}

fn job_steps<'a>(steps: &'a [Step], job: &str) -> Vec<&'a Step> {
    steps.iter().filter(|s| s.job == job).collect()
}

#[test]
fn the_workflow_has_the_commands_these_tests_run() {
    let steps = workflow_commands(WORKFLOW);
    let commands: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| (s.job.as_str(), s.command.as_str()))
        .collect();
    assert_eq!(
        commands,
        [
            (
                "check",
                "crosscheck check examples/afghanistan --format sarif --output crosscheck.sarif"
            ),
            (
                "pull-request",
                "crosscheck diff \"origin/$GITHUB_BASE_REF\" examples/afghanistan --format github"
            ),
        ]
    );
    assert!(WORKFLOW.contains("fetch-depth: 0"));
    assert!(WORKFLOW.contains("uses: github/codeql-action/upload-sarif@"));
    assert!(WORKFLOW.contains("sarif_file: crosscheck.sarif"));
}

#[test]
fn on_push_the_workflow_writes_sarif_and_fails_on_a_contradiction() {
    let steps = workflow_commands(WORKFLOW);
    let repo = Repo::new();
    repo.commit_all("clean data");
    let sarif = repo.path().join("crosscheck.sarif");
    for step in job_steps(&steps, "check") {
        let (code, stdout, stderr) = repo.step(step, "push");
        assert_eq!(code, 0, "{}: {stdout}{stderr}", step.command);
    }
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));

    repo.contradict();
    repo.commit_all("a contradiction");
    for step in job_steps(&steps, "check") {
        let (code, stdout, stderr) = repo.step(step, "push");
        assert_eq!(code, 1, "{}: {stdout}{stderr}", step.command);
    }
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "conflict");
}

#[test]
fn on_a_pull_request_the_workflow_fails_only_on_what_it_adds() {
    let steps = workflow_commands(WORKFLOW);
    let pr = job_steps(&steps, "pull-request");
    assert!(!pr.is_empty());
    let repo = Repo::new();
    repo.commit_all("clean data");
    // As `actions/checkout` with `fetch-depth: 0` leaves it: the base branch as origin/main.
    repo.git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.contradict();
    repo.commit_all("a pull request that adds a contradiction");
    for step in &pr {
        let (code, stdout, stderr) = repo.step(step, "pull_request");
        assert_eq!(code, 1, "{}: {stdout}{stderr}", step.command);
        assert!(
            stdout.starts_with("::error file=examples/afghanistan/report-a.toml,line=11,"),
            "{stdout}"
        );
        assert_eq!(stdout.matches("::error ").count(), 1, "{stdout}");
    }
    let summary = std::fs::read_to_string(&repo.summary).unwrap();
    assert!(
        summary.contains("## crosscheck: what this change adds against `origin/main`"),
        "{summary}"
    );
    assert!(summary.contains("+value = \"8,000\""), "{summary}");

    // The contradiction is now on the base branch; a pull request that leaves it is fine.
    repo.git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    repo.write(
        "report-a.toml",
        &REPORT_A.replace("A monitoring report", "The monitoring report"),
    );
    repo.commit_all("an unrelated edit");
    for step in &pr {
        let (code, stdout, stderr) = repo.step(step, "pull_request");
        assert_eq!(code, 0, "{}: {stdout}{stderr}", step.command);
        assert!(!stdout.contains("::error"), "{stdout}");
    }
}

#[test]
fn the_pre_commit_hooks_refuse_a_contradiction() {
    let hook = hook_commands(HOOK);
    let entries = pre_commit_entries(PRE_COMMIT_CONFIG);
    assert_eq!(hook, ["crosscheck check examples/afghanistan || status=$?"]);
    assert_eq!(entries, ["crosscheck check examples/afghanistan"]);
    let repo = Repo::new();
    for command in hook
        .iter()
        .map(|c| c.trim_end_matches(" || status=$?"))
        .chain(entries.iter().map(String::as_str))
    {
        assert_eq!(repo.sh(command), 0, "{command}");
    }

    // The hook script itself, as git runs it.
    let installed = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(&installed, HOOK).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&installed, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.commit_all("clean data: the hook lets it through");

    repo.contradict();
    for command in hook
        .iter()
        .map(|c| c.trim_end_matches(" || status=$?"))
        .chain(entries.iter().map(String::as_str))
    {
        assert_eq!(repo.sh(command), 1, "{command}");
    }
    repo.git(&["add", "-A"]);
    let mut commit = Command::new("git");
    commit.args(["commit", "-q", "-m", "a contradiction"]);
    repo.env(&mut commit);
    let out = commit.output().unwrap();
    assert!(
        !out.status.success(),
        "the hook let a contradiction through"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pre-commit: crosscheck refused the commit (exit status 1)"),
        "{stderr}"
    );
    // git shows a hook's standard output on its standard error.
    assert!(stderr.contains("error[conflict]"), "{stderr}");
}
