//! `crosscheck check [PATH...]`: the CI command.

use std::path::PathBuf;

use clap::Args;

use super::{FailOn, Output, load_and_check};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Data files or folders (default: the current directory).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

pub fn run(args: CheckArgs, color: bool) -> u8 {
    let (data, report) = match load_and_check(&args.paths, &args.output, color) {
        Ok(done) => done,
        Err(code) => return code,
    };
    if let Err(code) = args.output.write_report(&data, &report, color) {
        return code;
    }
    if args.output.format == super::Format::Github
        && let Err(code) = append_step_summary(&data, &report)
    {
        return code;
    }
    let fail_on = args
        .output
        .fail_on
        .or(data.settings.fail_on.map(FailOn::from))
        .unwrap_or(FailOn::Error);
    let code = u8::from(fail_on.fails(&report));
    // The process ends here: freeing a million claims and their findings one allocation at a
    // time would take seconds, and the operating system reclaims it all at once anyway.
    std::mem::forget((data, report));
    code
}

/// GitHub shows only the first annotations of each level: the whole report goes, as Markdown,
/// to the job's summary file when `$GITHUB_STEP_SUMMARY` names one (appended, created if
/// missing).
fn append_step_summary(
    data: &crate::model::Dataset,
    report: &crate::engine::Report,
) -> Result<(), u8> {
    use std::io::Write;
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let text = crate::report::markdown::render_report(data, report);
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
            super::EXIT_BAD_INPUT
        })
}
