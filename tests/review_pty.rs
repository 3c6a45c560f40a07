//! `crosscheck review`, driven for real through a pseudo-terminal: accept one finding, skip one,
//! quit; and refused without a terminal.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use common::{TODAY, crosscheck_command, stderr};
use rexpect::session::spawn_command;
use serde_json::Value;

/// How long each expectation waits for its text.
const TIMEOUT_MS: u64 = 10_000;

/// The tests of this file one at a time: the pty test forks, and a fork while another thread
/// of the test harness is half-way through an allocation is best avoided.
static SERIAL: Mutex<()> = Mutex::new(());

/// Three contradictions: about TTP, ISIL-K and AQIS fighters.
fn data_set() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    let mut entities = String::new();
    let mut un = String::from(
        "[[source]]\nid = \"un-report\"\ntitle = \"Monitoring team report\"\npublished = 2024-06-01\nkind = \"primary\"\n",
    );
    let mut monitor = String::from(
        "[[source]]\nid = \"monitor\"\ntitle = \"An independent monitor\"\npublished = 2024-06-20\nkind = \"primary\"\n",
    );
    for (id, name, low, high) in [
        ("ttp", "TTP", "2,500–6,000", "8,000"),
        ("isil-k", "ISIL-K", "1,000–2,200", "4,000"),
        ("aqis", "AQIS", "200", "900"),
    ] {
        entities.push_str(&format!("\n[[entity]]\nid = \"{id}\"\nname = \"{name}\"\n"));
        un.push_str(&format!(
            "\n[[claim]]\nsubject = \"{id}\"\nproperty = \"fighters\"\nvalue = \"{low}\"\n"
        ));
        monitor.push_str(&format!(
            "\n[[claim]]\nsubject = \"{id}\"\nproperty = \"fighters\"\nvalue = \"{high}\"\n"
        ));
    }
    write("entities.toml", &entities);
    write(
        "properties.toml",
        "[[property]]\nid = \"fighters\"\ntype = \"quantity\"\nunit = \"fighters\"\n",
    );
    write("un-report.toml", &un);
    write("monitor.toml", &monitor);
    dir
}

/// crosscheck, to run in `dir` (colour is left to the terminal, or its absence).
fn crosscheck(dir: &Path) -> Command {
    let mut command = crosscheck_command();
    command.current_dir(dir);
    command
}

/// The findings' fingerprints and messages, in report order (the order `review` goes in).
fn findings(dir: &Path) -> Vec<(String, String)> {
    let out = crosscheck(dir)
        .args(["check", "--format", "json", "--today", TODAY])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fingerprint"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The process ended by exiting with status 0 (nix's `WaitStatus`, which rexpect does not
/// re-export, read through its `Debug` form: `Exited(Pid(…), 0)`).
fn exited_with_0(p: &rexpect::session::PtySession) {
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
}

/// Waits for `needle` and returns what came before it. rexpect reads bytes as chars, one each:
/// they are put back together as UTF-8.
fn before(p: &mut rexpect::session::PtySession, needle: &str) -> String {
    let text = p.exp_string(needle).unwrap();
    String::from_utf8(
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect(),
    )
    .unwrap()
}

#[test]
fn review_accepts_skips_and_quits_in_a_terminal() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = data_set();
    let d = dir.path();
    let found = findings(d);
    assert_eq!(found.len(), 3, "{found:?}");

    let mut command = crosscheck(d);
    command.args(["review", "--by", "tester", "--today", TODAY]);
    let mut p = spawn_command(command, Some(TIMEOUT_MS)).unwrap();

    // The first finding, as the human report shows it (in colour: this is a terminal).
    let shown = before(&mut p, "[a]ccept, [s]kip, [q]uit? ");
    assert!(shown.contains("finding 1 of 3"), "{shown}");
    assert!(shown.contains(&found[0].1), "{shown}");
    assert!(
        shown.contains(&format!("crosscheck accept {}", found[0].0)),
        "{shown}"
    );
    if std::env::var_os("NO_COLOR").is_none() {
        assert!(shown.contains("\x1b["), "coloured on a terminal: {shown:?}");
    }
    // Accepting asks for a reason, again while it is empty.
    p.send_line("a").unwrap();
    p.exp_string("reason: ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("a reason is needed").unwrap();
    p.exp_string("reason: ").unwrap();
    p.send_line("the monitor counts families too").unwrap();
    p.exp_string("accepted: recorded in ./accepted.toml")
        .unwrap();

    let shown = before(&mut p, "[a]ccept, [s]kip, [q]uit? ");
    assert!(shown.contains("finding 2 of 3"), "{shown}");
    assert!(shown.contains(&found[1].1), "{shown}");
    p.send_line("s").unwrap();

    let shown = before(&mut p, "[a]ccept, [s]kip, [q]uit? ");
    assert!(shown.contains("finding 3 of 3"), "{shown}");
    p.send_line("q").unwrap();
    p.exp_string("1 accepted, 1 skipped, 1 not reviewed")
        .unwrap();
    p.exp_eof().unwrap();
    exited_with_0(&p);

    let text = std::fs::read_to_string(d.join("accepted.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let accepted = doc["accepted"].as_array().unwrap();
    assert_eq!(accepted.len(), 1, "{text}");
    let entry = accepted[0].as_table().unwrap();
    assert_eq!(entry["finding"].as_str(), Some(found[0].0.as_str()));
    assert_eq!(
        entry["reason"].as_str(),
        Some("the monitor counts families too")
    );
    assert_eq!(entry["by"].as_str(), Some("tester"));
    assert_eq!(entry["date"].to_string(), TODAY);

    // A second review starts at the finding skipped; end of input is quitting.
    let mut command = crosscheck(d);
    command.args(["review", "--today", TODAY]);
    let mut p = spawn_command(command, Some(TIMEOUT_MS)).unwrap();
    let shown = before(&mut p, "[a]ccept, [s]kip, [q]uit? ");
    assert!(shown.contains("finding 1 of 2"), "{shown}");
    assert!(shown.contains(&found[1].1), "{shown}");
    p.send_control('d').unwrap();
    p.exp_string("0 accepted, 0 skipped, 2 not reviewed")
        .unwrap();
    p.exp_eof().unwrap();
    exited_with_0(&p);
    assert_eq!(
        std::fs::read_to_string(d.join("accepted.toml")).unwrap(),
        text
    );
}

#[test]
fn review_without_a_terminal_points_to_accept() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = data_set();
    for stdin in [Stdio::null(), Stdio::piped()] {
        let out = crosscheck(dir.path())
            .args(["review", "--today", TODAY])
            .stdin(stdin)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(out.stdout, b"");
        assert_eq!(
            stderr(&out),
            "error: review needs a terminal; use `crosscheck accept FINGERPRINT --reason …` in scripts\n"
        );
    }
    assert!(!dir.path().join("accepted.toml").exists());
}
