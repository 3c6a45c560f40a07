//! `crosscheck diff REV [PATH...]`: the pull-request check. Checks the data set as it was at
//! git revision REV and as it is in the working tree, and reports what the change adds and
//! resolves; only added findings can fail the run.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_BAD_INPUT, FailOn, Format, Output, load_and_check};
use crate::diag::{Diagnostic, RenderOptions, render_all};
use crate::engine::{self, CheckOptions, Report};
use crate::report::diff::{self, Side};
use crate::revision;
use crate::source_map::SourceMap;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The git revision to compare with: a commit, branch or tag, such as `origin/main`.
    pub rev: String,
    /// Data files or folders (default: the current directory).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

pub fn run(mut args: DiffArgs, color: bool) -> u8 {
    // Refused before git or anything else runs.
    if let Err(e) = revision::check_revision_text(&args.rev) {
        return print_error(&e.to_diagnostic(), color);
    }
    let snapshot = match revision::snapshot(&args.rev, &args.paths) {
        Ok(snapshot) => snapshot,
        Err(e) => return print_error(&e.to_diagnostic(), color),
    };
    // Both sides are judged on the same day.
    args.output.today.get_or_insert_with(super::system_today);
    let (new_data, new_report) = match load_and_check(&args.paths, &args.output, color) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let short = &snapshot.commit[..snapshot.commit.len().min(12)];
    let old_data = match snapshot.load() {
        Ok(data) => data,
        Err(failure) => {
            return print_old_errors(&failure.errors, &failure.files, &args.rev, short, color);
        }
    };
    let old_report = if snapshot.has_data {
        let options = CheckOptions {
            today: args.output.today.unwrap_or_else(super::system_today),
            select: args.output.select.clone(),
        };
        match engine::check(&old_data, &options) {
            Ok(report) => report,
            Err(errors) => {
                return print_old_errors(&errors, &old_data.files, &args.rev, short, color);
            }
        }
    } else {
        Report::default()
    };
    drop(snapshot);

    let diff = diff::compare(
        &args.rev,
        Side {
            data: &old_data,
            report: &old_report,
        },
        Side {
            data: &new_data,
            report: &new_report,
        },
    );
    let added = diff.added_report();
    let text = match args.output.format {
        Format::Human => diff::render_human(
            &diff,
            RenderOptions {
                color: color && args.output.file.is_none(),
            },
        ),
        Format::Json => diff::render_json(&diff),
        Format::Markdown => diff::render_markdown(&diff),
        Format::Sarif => super::render(&new_data, &added, Format::Sarif, false),
        Format::Github => {
            // The annotations of the added findings, then the diff's summary line in place of
            // the check's.
            let text = super::render(&new_data, &added, Format::Github, false);
            let annotations = text
                .trim_end_matches('\n')
                .rsplit_once('\n')
                .map_or("", |(a, _)| a);
            let mut text = annotations.to_string();
            if !text.is_empty() {
                text.push('\n');
            }
            text + &diff::summary_line(&diff) + "\n"
        }
    };
    if let Err(code) = args.output.write(&text) {
        return code;
    }
    if args.output.format == Format::Github
        && let Err(code) = append_step_summary(&diff::render_markdown(&diff))
    {
        return code;
    }
    let fail_on = args
        .output
        .fail_on
        .or(new_data.settings.fail_on.map(FailOn::from))
        .unwrap_or(FailOn::Error);
    u8::from(fail_on.fails(&added))
}

fn print_error(diag: &Diagnostic, color: bool) -> u8 {
    eprint!(
        "{}",
        render_all(
            std::slice::from_ref(diag),
            &SourceMap::default(),
            RenderOptions { color }
        )
    );
    EXIT_BAD_INPUT
}

/// The data set at REV did not load or its rules were invalid: nothing to compare with.
fn print_old_errors(
    errors: &[Diagnostic],
    files: &SourceMap,
    rev: &str,
    commit: &str,
    color: bool,
) -> u8 {
    eprint!("{}", render_all(errors, files, RenderOptions { color }));
    let n = errors.len();
    eprintln!(
        "\nerror: could not load the data set as it was at {rev} ({commit}): {n} error{}",
        if n == 1 { "" } else { "s" }
    );
    eprintln!(
        "  = help: the errors above are in the files at {rev}, not in the working tree; compare with a revision where the data set loads, or run `crosscheck check`"
    );
    EXIT_BAD_INPUT
}

/// GitHub shows only the first annotations of each level: the whole diff goes, as Markdown, to
/// the job's summary file when `$GITHUB_STEP_SUMMARY` names one (appended, created if missing).
fn append_step_summary(text: &str) -> Result<(), u8> {
    use std::io::Write;
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| {
            eprintln!(
                "error: cannot append to $GITHUB_STEP_SUMMARY ({}): {e}",
                PathBuf::from(&path).display()
            );
            EXIT_BAD_INPUT
        })
}
