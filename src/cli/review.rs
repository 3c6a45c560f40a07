//! `crosscheck review [PATH...]`: walks through the unaccepted findings in a terminal, one at a
//! time: accept (with a reason), skip or quit. Each acceptance is written at once, atomically,
//! so quitting or Ctrl-C loses no earlier choice.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::{EXIT_BAD_INPUT, load_and_check, parse_today, system_today};
use crate::accept::{self, NewAcceptance};
use crate::diag::{RenderOptions, render};
use crate::engine::{Finding, Report, STALE_ACCEPTANCE};
use crate::model::Dataset;
use crate::value::Day;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Data files or folders (default: the current directory); `accepted.toml` is at the root.
    pub paths: Vec<PathBuf>,
    /// Who accepts, recorded as `by` in each acceptance.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The date recorded, also taken as today by the `stale` rule (default: the system date).
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<Day>,
}

/// The message when standard input is not a terminal.
pub const NEEDS_TERMINAL: &str =
    "review needs a terminal; use `crosscheck accept FINGERPRINT --reason …` in scripts";

pub fn run(args: ReviewArgs, color: bool) -> u8 {
    if !std::io::stdin().is_terminal() {
        eprintln!("error: {NEEDS_TERMINAL}");
        return EXIT_BAD_INPUT;
    }
    let (data, report) = match load_and_check(
        &args.paths,
        &super::accept::check_options(args.today),
        color,
    ) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let session = Session {
        by: args.by,
        date: args.today.unwrap_or_else(system_today),
        color,
    };
    let mut input = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    match session.review(&data, &report, &mut input, &mut out) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            let _ = out.flush();
            eprintln!("error: {e}");
            EXIT_BAD_INPUT
        }
        // The terminal went away: what was decided is saved already.
        Err(_) => EXIT_BAD_INPUT,
    }
}

/// One review: who accepts, on which day, and how findings are shown.
struct Session {
    by: Option<String>,
    date: Day,
    color: bool,
}

/// The user's choice for a finding.
enum Choice {
    Accept(String),
    Skip,
    Quit,
}

impl Session {
    /// Shows each unaccepted finding and acts on the answer. The outer error is the terminal's;
    /// the inner one an acceptance that could not be written (the review stops there).
    fn review(
        &self,
        data: &Dataset,
        report: &Report,
        input: &mut impl BufRead,
        out: &mut impl Write,
    ) -> std::io::Result<Result<(), accept::AcceptError>> {
        let pending: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.accepted.is_none() && f.rule != STALE_ACCEPTANCE)
            .collect();
        if pending.is_empty() {
            writeln!(
                out,
                "nothing to review: no finding is waiting for a decision"
            )?;
            return Ok(Ok(()));
        }
        let total = pending.len();
        writeln!(
            out,
            "{total} finding{} to review; each acceptance is saved to {} at once\n",
            if total == 1 { "" } else { "s" },
            data.accepted_path.display()
        )?;
        let (mut accepted, mut skipped) = (0, 0);
        for (i, finding) in pending.iter().enumerate() {
            writeln!(out, "finding {} of {total}:", i + 1)?;
            let diagnostic = crate::report::human::diagnostic(data, finding);
            write!(
                out,
                "{}",
                render(
                    &diagnostic,
                    &data.files,
                    RenderOptions { color: self.color }
                )
            )?;
            match ask(input, out)? {
                Choice::Quit => break,
                Choice::Skip => skipped += 1,
                Choice::Accept(reason) => {
                    let acceptance = NewAcceptance {
                        finding: finding.fingerprint.clone(),
                        reason,
                        by: self.by.clone(),
                        date: self.date,
                    };
                    match accept::accept(data, report, &acceptance) {
                        Ok(path) => {
                            accepted += 1;
                            writeln!(out, "accepted: recorded in {}", path.display())?;
                        }
                        Err(e) => {
                            summary(out, accepted, skipped, total)?;
                            return Ok(Err(e));
                        }
                    }
                }
            }
            writeln!(out)?;
        }
        summary(out, accepted, skipped, total)?;
        Ok(Ok(()))
    }
}

/// `1 accepted, 1 skipped, 3 not reviewed`.
fn summary(
    out: &mut impl Write,
    accepted: usize,
    skipped: usize,
    total: usize,
) -> std::io::Result<()> {
    let left = total - accepted - skipped;
    write!(out, "{accepted} accepted, {skipped} skipped")?;
    if left > 0 {
        write!(out, ", {left} not reviewed")?;
    }
    writeln!(out)?;
    out.flush()
}

/// Asks until the answer is one of the choices; end of input is quitting.
fn ask(input: &mut impl BufRead, out: &mut impl Write) -> std::io::Result<Choice> {
    loop {
        let Some(answer) = prompt(input, out, "[a]ccept, [s]kip, [q]uit? ")? else {
            return Ok(Choice::Quit);
        };
        match answer.to_lowercase().as_str() {
            "a" | "accept" => loop {
                let Some(reason) = prompt(input, out, "reason: ")? else {
                    return Ok(Choice::Quit);
                };
                if !reason.is_empty() {
                    return Ok(Choice::Accept(reason));
                }
                writeln!(out, "a reason is needed: say why this finding is explained")?;
            },
            "s" | "skip" => return Ok(Choice::Skip),
            "q" | "quit" => return Ok(Choice::Quit),
            _ => writeln!(out, "answer a (accept), s (skip) or q (quit)")?,
        }
    }
}

/// Prints the question, reads one line, trimmed; `None` at end of input.
fn prompt(
    input: &mut impl BufRead,
    out: &mut impl Write,
    question: &str,
) -> std::io::Result<Option<String>> {
    write!(out, "{question}")?;
    out.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        writeln!(out)?;
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(text: &str) -> (std::io::Result<Choice>, String) {
        let mut out = Vec::new();
        let choice = ask(&mut text.as_bytes(), &mut out);
        (choice, String::from_utf8(out).unwrap())
    }

    #[test]
    fn asks_again_until_the_answer_is_a_choice() {
        let (choice, out) = answers("\nx\nS\n");
        assert!(matches!(choice.unwrap(), Choice::Skip));
        assert_eq!(out.matches("[a]ccept, [s]kip, [q]uit? ").count(), 3);
        assert_eq!(out.matches("answer a (accept)").count(), 2);
    }

    #[test]
    fn accepting_needs_a_reason() {
        let (choice, out) = answers("a\n  \n  both right \n");
        assert!(matches!(choice.unwrap(), Choice::Accept(r) if r == "both right"));
        assert_eq!(out.matches("reason: ").count(), 2);
        assert!(out.contains("a reason is needed"));
    }

    #[test]
    fn end_of_input_is_quitting() {
        assert!(matches!(answers("").0.unwrap(), Choice::Quit));
        assert!(matches!(answers("a\n").0.unwrap(), Choice::Quit));
        assert!(matches!(answers("quit\n").0.unwrap(), Choice::Quit));
    }
}
