//! `crosscheck audit [PATH...]`: the sourcing audit (per source, the citation graph, the
//! origins behind each series, weakly sourced claims). Informational: it exits 0 whenever the
//! data set loads.

use std::path::PathBuf;

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
    match super::write_output(args.output.as_deref(), &text) {
        Ok(()) => 0,
        Err(code) => code,
    }
}
