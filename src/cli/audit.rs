//! `crosscheck audit [PATH...]`: the sourcing audit (per source, the citation graph, the
//! origins behind each series, weakly sourced claims). Informational: it exits 0 whenever the
//! data set loads.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::engine::audit::audit;
use crate::load;
use crate::report::audit::{render_human, render_json, render_markdown};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Data files or folders (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
    /// Write the audit to this file instead of standard output.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Aligned text tables and a drawn citation tree.
    Human,
    /// Tables and the tree, for a pull-request comment or a wiki page.
    Markdown,
    /// One JSON object: sources, citations, series, weak.
    Json,
}

pub fn run(args: AuditArgs, color: bool) -> u8 {
    let data = match load::load(&args.paths) {
        Ok(data) => data,
        Err(failure) => return super::print_errors(&failure.errors, &failure.files, color),
    };
    let audit = audit(&data);
    let text = match args.format {
        AuditFormat::Human => render_human(&data, &audit),
        AuditFormat::Markdown => render_markdown(&data, &audit),
        AuditFormat::Json => render_json(&data, &audit),
    };
    match write(args.output.as_deref(), &text) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

/// Writes to `file` (atomically) or standard output, as `Output::write` does for reports.
pub(super) fn write(file: Option<&Path>, text: &str) -> Result<(), u8> {
    match file {
        Some(path) => crate::fsutil::atomic_write(path, text.as_bytes()).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            super::EXIT_BAD_INPUT
        }),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            Ok(())
        }
    }
}
