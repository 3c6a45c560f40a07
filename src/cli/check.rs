//! `crosscheck check [PATH...]`: the CI command.

use std::path::PathBuf;

use clap::Args;

use super::{FailOn, Output, load_and_check};
use crate::model::Timing;
use crate::recheck::ReportFormat;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Data files or folders (default: the current directory).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    /// Print how long each step took (loading, each rule, the report) to standard error.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: CheckArgs, color: bool) -> u8 {
    // A JSON or human check with the cache re-checks only what changed since the last one.
    let recheck = match args.output.format {
        super::Format::Json => Some(ReportFormat::Json),
        super::Format::Human => Some(ReportFormat::Human {
            color: color && args.output.file.is_none(),
        }),
        _ => None,
    };
    if let (Some(format), false) = (recheck, args.output.no_cache) {
        return run_recheck(&args, color, format);
    }
    let (data, report) = match load_and_check(&args.paths, &args.output, color) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let writing = std::time::Instant::now();
    if let Err(code) = args.output.write_report(&data, &report, color) {
        return code;
    }
    if args.timings {
        let written = Timing::since("report: write", writing);
        eprint!(
            "{}",
            timings_table(&data.timings, &report.timings, &written)
        );
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
    super::leave_to_exit((data, report));
    code
}

/// `check` in JSON or human form with the cache: see [`crate::recheck`].
fn run_recheck(args: &CheckArgs, color: bool, format: ReportFormat) -> u8 {
    let options = args.output.check_options();
    let load_options = args.output.load_options();
    let prepared = crate::recheck::prepare(&args.paths, &load_options, &options, format);
    let mut prepared = match prepared {
        Ok(prepared) => prepared,
        Err(failure) => return super::print_errors(&failure.errors, &failure.files, color),
    };
    let writing = std::time::Instant::now();
    if let Err(code) =
        super::write_output_with(args.output.file.as_deref(), |out| prepared.write(out))
    {
        return code;
    }
    if args.timings {
        let written = Timing::since("report: write", writing);
        eprint!("{}", timings_table(&prepared.timings, &[], &written));
        eprintln!("recheck: {}", prepared.kind());
    }
    let fail_on = args
        .output
        .fail_on
        .or(prepared.settings_fail_on.map(FailOn::from))
        .unwrap_or(FailOn::Error);
    let code = u8::from(fail_on.fails_summary(prepared.summary()));
    super::leave_to_exit(prepared);
    code
}

/// One line a step: its time in seconds, the peak memory so far (where the system tells),
/// then its name.
fn timings_table(load: &[Timing], engine: &[Timing], write: &Timing) -> String {
    load.iter()
        .chain(engine)
        .chain(std::iter::once(write))
        .map(|t| {
            let peak = t
                .peak_memory
                .map_or_else(|| "       -".to_string(), |b| format!("{:>4} MiB", b >> 20));
            format!(
                "timing: {:>9.3} s  peak {peak}  {}\n",
                t.took.as_secs_f64(),
                t.step
            )
        })
        .collect()
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
