//! The command line: the only module that knows clap. Each subcommand is a function from its
//! arguments to an exit status; everything it does goes through the library layers.

mod accept;
mod audit;
mod check;
mod diff;
mod explain;
mod export;
mod review;
mod timeline;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::{Diagnostic, RenderOptions, render_all};
use crate::engine::{self, CheckOptions, Report};
use crate::load;
use crate::model::{Dataset, Severity};
use crate::source_map::SourceMap;
use crate::value::{Day, parse_period};

/// Exit status when findings at or above `--fail-on` remain.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status when the data or the command line could not be read.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "crosscheck",
    version,
    about = "Flags where claim files contradict each other: conflicts, drift, misquotes, weak sourcing",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a data set: load every claim file and report the findings.
    Check(check::CheckArgs),
    /// Show a rule's documentation, or list the rules.
    Explain(explain::ExplainArgs),
    /// Compare with a git revision: the findings the working tree adds and resolves.
    Diff(diff::DiffArgs),
    /// Accept a finding: record in accepted.toml why it is explained.
    Accept(accept::AcceptArgs),
    /// Walk through the unaccepted findings in a terminal: accept, skip or quit.
    Review(review::ReviewArgs),
    /// The sourcing audit: sources, the citation graph, origins per series, weak sourcing.
    Audit(audit::AuditArgs),
    /// Every claim of a subject's series over time, as text charts.
    Timeline(timeline::TimelineArgs),
    /// Every resolved claim as one row (JSON Lines or CSV), for DuckDB, pandas or a spreadsheet.
    Export(export::ExportArgs),
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source lines, then a summary line.
    Human,
    /// One JSON object (SPEC section 6).
    Json,
    /// For a pull-request comment: a summary table, then one section per finding.
    Markdown,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions annotations; the Markdown report also goes to $GITHUB_STEP_SUMMARY.
    Github,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl From<Severity> for FailOn {
    fn from(s: Severity) -> FailOn {
        match s {
            Severity::Error => FailOn::Error,
            Severity::Warning => FailOn::Warning,
            Severity::Info => FailOn::Info,
            Severity::Off => FailOn::Never,
        }
    }
}

impl FailOn {
    /// Whether an unaccepted finding at or above this level remains.
    pub fn fails(self, report: &Report) -> bool {
        self.fails_summary(report.summary())
    }

    /// [`FailOn::fails`], from a report's counts.
    pub fn fails_summary(self, s: engine::Summary) -> bool {
        match self {
            FailOn::Error => s.error > 0,
            FailOn::Warning => s.error + s.warning > 0,
            FailOn::Info => s.error + s.warning + s.info > 0,
            FailOn::Never => false,
        }
    }
}

/// Options shared by the commands that print a report.
#[derive(Debug, Args)]
pub struct Output {
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Exit with status 1 when a finding at or above this severity is not accepted
    /// [default: `fail_on` in crosscheck.toml, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The date taken as today by the `stale` rule (default: the system date). Fix it for
    /// reproducible reports.
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<Day>,
    /// Run only this rule (repeat for several); `crosscheck explain` lists them.
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,
    /// Check everything afresh: do not read or write the cache (parsed files, and for human
    /// and JSON checks the previous report, to re-check only what an edit changed).
    #[arg(long)]
    pub no_cache: bool,
    /// Keep the cache in this folder [default: .crosscheck-cache/ at the data set root].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
}

impl Output {
    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            today: self.today.unwrap_or_else(system_today),
            select: self.select.clone(),
        }
    }

    pub fn load_options(&self) -> load::LoadOptions {
        load::LoadOptions {
            use_cache: !self.no_cache,
            cache_dir: self.cache_dir.clone(),
        }
    }
}

impl Output {
    /// Writes the report to `--output` (atomically) or standard output.
    pub fn write(&self, text: &str) -> Result<(), u8> {
        write_output(self.file.as_deref(), text)
    }

    /// Writes the report of a check in the chosen format to `--output` (atomically) or
    /// standard output. JSON is streamed: a large data set's report is never held whole.
    pub fn write_report(&self, data: &Dataset, report: &Report, color: bool) -> Result<(), u8> {
        let color = color && self.file.is_none();
        write_output_with(self.file.as_deref(), |out| match self.format {
            Format::Json => crate::report::json::write_report(data, report, out),
            Format::Human => {
                crate::report::human::write_report(data, report, RenderOptions { color }, out)
            }
            format => out.write_all(render(data, report, format, color).as_bytes()),
        })
    }
}

/// Writes a command's output to `file` (atomically) or standard output; on failure, says why
/// and gives the exit status.
pub(crate) fn write_output(file: Option<&std::path::Path>, text: &str) -> Result<(), u8> {
    write_output_with(file, |out| out.write_all(text.as_bytes()))
}

/// [`write_output`] of what `write` produces, streamed rather than held whole.
pub(crate) fn write_output_with(
    file: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), u8> {
    use std::io::Write;
    match file {
        Some(path) => crate::fsutil::atomic_write_with(path, write).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            EXIT_BAD_INPUT
        }),
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot write the report to standard output: {e}");
                    Err(EXIT_BAD_INPUT)
                }
                _ => Ok(()),
            }
        }
    }
}

fn parse_today(text: &str) -> Result<Day, String> {
    let range = parse_period(text).map_err(|e| format!("expected {}", e.expected))?;
    if range.first != range.last {
        return Err("expected a single day such as 2026-11-22".into());
    }
    Ok(range.first)
}

fn system_today() -> Day {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Day((secs / 86_400) as i32)
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_BAD_INPUT)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args, color),
        Command::Explain(args) => explain::run(args),
        Command::Diff(args) => diff::run(args, color),
        Command::Accept(args) => accept::run(args, color),
        Command::Review(args) => review::run(args, color),
        Command::Audit(args) => audit::run(args, color),
        Command::Timeline(args) => timeline::run(args, color),
        Command::Export(args) => export::run(args, color),
    };
    ExitCode::from(code)
}

/// Loads the data set and runs the check; on failure, the errors are printed and the exit
/// status returned.
pub fn load_and_check(
    paths: &[PathBuf],
    output: &Output,
    color: bool,
) -> Result<(Dataset, Report), u8> {
    let data = match load::load_with(paths, &output.load_options()) {
        Ok(data) => data,
        Err(failure) => return Err(print_errors(&failure.errors, &failure.files, color)),
    };
    match engine::check(&data, &output.check_options()) {
        Ok(report) => Ok((data, report)),
        Err(errors) => Err(print_errors(&errors, &data.files, color)),
    }
}

/// Renders a report in the chosen format.
pub fn render(data: &Dataset, report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => crate::report::human::render_report(data, report, RenderOptions { color }),
        Format::Json => crate::report::json::render_report(data, report),
        Format::Markdown => crate::report::markdown::render_report(data, report),
        Format::Sarif => crate::report::sarif::render_report(data, report),
        Format::Github => crate::report::github::render_report(data, report),
    }
}

/// Leaves `value` to the operating system: the process ends right after, and freeing a
/// million claims and their findings one allocation at a time would take seconds, while the
/// operating system reclaims it all at once.
pub(crate) fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Prints every load error to stderr, then a count: the data set cannot be checked.
fn print_errors(errors: &[Diagnostic], files: &SourceMap, color: bool) -> u8 {
    eprint!("{}", render_all(errors, files, RenderOptions { color }));
    let n = errors.len();
    eprintln!(
        "\nerror: could not load the data set: {n} error{}",
        if n == 1 { "" } else { "s" }
    );
    EXIT_BAD_INPUT
}
