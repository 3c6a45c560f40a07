//! `crosscheck timeline SUBJECT [PROPERTY]`: every claim of a subject's series over time, as
//! text charts (or JSON). The subject is resolved as claims resolve theirs: an entity id, name
//! or alias, case-insensitive.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::load::{self, did_you_mean};
use crate::model::{Dataset, EntityIdx, PropertyIdx};
use crate::report::timeline::{render_human, render_json, series_of};

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The subject: an entity id, name or alias, such as `TTP`.
    pub subject: String,
    /// A property id, such as `fighters`. Without it, one chart per property of the subject
    /// that has claims.
    pub property: Option<String>,
    /// The data set: a folder or file.
    #[arg(short = 'C', long = "data", value_name = "PATH", default_value = ".")]
    pub data: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Human)]
    pub format: TimelineFormat,
    /// Write the charts to this file instead of standard output.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// Text charts: one row per claim, with a bar on a shared scale.
    Human,
    /// One JSON object: the charts' claims in the same order.
    Json,
}

pub fn run(args: TimelineArgs, color: bool) -> u8 {
    let data = match load::load(std::slice::from_ref(&args.data)) {
        Ok(data) => data,
        Err(failure) => return super::print_errors(&failure.errors, &failure.files, color),
    };
    let subject = match resolve_subject(&data, &args.subject) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let property = match args
        .property
        .as_deref()
        .map(|p| resolve_property(&data, p))
        .transpose()
    {
        Ok(p) => p,
        Err(code) => return code,
    };
    let series = series_of(&data, subject, property);
    let name = &data.entity(subject).name.value;
    if series.is_empty() && args.format == TimelineFormat::Human {
        match property {
            Some(p) => {
                eprintln!("{name} has no claims of `{}`", data.property(p).id);
                let known: Vec<String> = series_of(&data, subject, None)
                    .iter()
                    .map(|s| data.property(s.property).id.clone())
                    .collect();
                if !known.is_empty() {
                    let mut known = known;
                    known.dedup();
                    eprintln!("help: its claims are about {}", quoted_list(&known));
                }
            }
            None => eprintln!("{name} has no claims"),
        }
        return 0;
    }
    let text = match args.format {
        TimelineFormat::Human => render_human(&data, &series),
        TimelineFormat::Json => render_json(&data, subject, &series),
    };
    match super::write_output(args.output.as_deref(), &text) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn resolve_subject(data: &Dataset, name: &str) -> Result<EntityIdx, u8> {
    if let Some(e) = data.entity_by_name(name) {
        return Ok(e);
    }
    eprintln!(
        "error: no entity has the id, name or alias `{name}` in the data set at {}",
        data.root.display()
    );
    let names = data
        .entities
        .iter()
        .flat_map(|e| std::iter::once(e.id.as_str()).chain(e.names().map(|n| n.value.as_str())));
    match did_you_mean(name, names) {
        Some(near) => eprintln!("help: did you mean `{near}`?"),
        None => eprintln!("help: give an entity's id, name or alias, as a claim's `subject` does"),
    }
    Err(super::EXIT_BAD_INPUT)
}

fn resolve_property(data: &Dataset, id: &str) -> Result<PropertyIdx, u8> {
    if let Some(p) = data.property_by_id(id) {
        return Ok(p);
    }
    eprintln!(
        "error: no property `{id}` in the data set at {}",
        data.root.display()
    );
    match did_you_mean(id, data.properties.iter().map(|p| p.id.as_str())) {
        Some(near) => eprintln!("help: did you mean `{near}`?"),
        None => eprintln!("help: give a property id, as a claim's `property` does"),
    }
    Err(super::EXIT_BAD_INPUT)
}
