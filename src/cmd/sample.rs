//! `callqa sample --n 25 --seed 42 [--stratify agent|queue|score-band] [--where ...]
//! [--from DATE] [--to DATE] [--auditor NAME] [--format table|csv|json]`: a reproducible random
//! sample of calls for an audit, recorded in `audit_samples`.

use super::GlobalArgs;
use anyhow::Context;
use callqa::report::output::{csv_text, one_line};
use callqa::report::sample::{draw, parse_filter, Candidate, Filter, Stratify};
use callqa::transcript::meta::Day;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StratifyArg {
    Agent,
    Queue,
    ScoreBand,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SampleFormat {
    Table,
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// How many calls.
    #[arg(long, default_value_t = 25)]
    pub n: usize,
    /// Random seed: the same seed over the same calls gives the same sample (default: drawn
    /// from the clock and printed, so the sample can be reproduced).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Sample each stratum in proportion to its size (at least one call each).
    #[arg(long, value_enum)]
    pub stratify: Option<StratifyArg>,
    /// Rubric whose score defines the bands of --stratify score-band (0-59, 60-79, 80-100, n/a).
    #[arg(long, default_value = "qa")]
    pub band_rubric: String,
    /// Only calls matching: flag=KIND, agent=ID, queue=NAME, language=CODE, critical=RUBRIC, RUBRIC<N
    /// (<, <=, >, >=, =). Repeatable; all must hold.
    #[arg(long = "where", value_parser = check_filter)]
    pub filters: Vec<String>,
    /// First day (YYYY-MM-DD) by when calls started.
    #[arg(long, value_parser = super::parse_date)]
    pub from: Option<Day>,
    /// Last day (YYYY-MM-DD, inclusive).
    #[arg(long, value_parser = super::parse_date)]
    pub to: Option<Day>,
    /// Who draws the sample (recorded with it). Default: $USER.
    #[arg(long)]
    pub auditor: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: SampleFormat,
    /// With --format csv: the verdict sheet an auditor fills in for `callqa calibrate`
    /// (call_id,rubric,criterion,verdict,evaluator,note; one row per call and criterion).
    #[arg(long)]
    pub template: bool,
    /// Also write a review page per sampled call and an index.html listing them into DIR.
    #[arg(long, value_name = "DIR")]
    pub review: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub page: super::review::PageArgs,
}

pub(super) fn check_filter(s: &str) -> Result<String, String> {
    parse_filter(s).map(|_| s.to_string())
}

pub fn run(global: &GlobalArgs, args: SampleArgs) -> anyhow::Result<ExitCode> {
    if args.template && !matches!(args.format, SampleFormat::Csv) {
        anyhow::bail!("--template writes a CSV verdict sheet: use it with --format csv");
    }
    let store = global.open_store()?;
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let mut candidates = Vec::new();
    // One call's full analysis at a time; each candidate keeps only what sampling reads.
    store.each_call_row(args.from, args.to, |row| {
        let analysis = store.load_analysis(&row.call_id)?;
        candidates.push(Candidate::new(row, analysis));
        Ok::<(), callqa::store::StoreError>(())
    })?;
    let stratify = args.stratify.map(|s| match s {
        StratifyArg::Agent => Stratify::Agent,
        StratifyArg::Queue => Stratify::Queue,
        StratifyArg::ScoreBand => Stratify::ScoreBand,
    });
    let filters: Vec<Filter> = args
        .filters
        .iter()
        .map(|f| parse_filter(f).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<_>>()?;
    let population = candidates.len();
    let sample = draw(
        candidates,
        &filters,
        args.n,
        seed,
        stratify,
        &args.band_rubric,
    );
    let auditor = args
        .auditor
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".into());
    let parameters = json!({
        "n": args.n,
        "seed": seed,
        "stratify": args
            .stratify
            .and_then(|s| s.to_possible_value())
            .map(|v| v.get_name().to_string()),
        "band_rubric": args.band_rubric,
        "where": args.filters,
        "from": args.from,
        "to": args.to,
    });
    let ids: Vec<String> = sample.iter().map(|c| c.row.call_id.clone()).collect();
    let sample_id = store.record_sample(&auditor, &parameters, &ids)?;
    if let Some(dir) = &args.review {
        let title = format!(
            "Audit sample {sample_id} by {auditor}: {} of {population} call(s), seed {seed}",
            ids.len()
        );
        super::review::write_pages(global, &store, &ids, dir, args.page, &title)?;
    }

    let rubric_ids: Vec<String> = {
        let mut all: Vec<String> = sample
            .iter()
            .flat_map(|c| {
                c.analysis
                    .iter()
                    .flat_map(|a| a.results.iter().map(|r| r.rubric_id.clone()))
            })
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let flags_of = |c: &Candidate| -> Vec<String> {
        c.analysis
            .as_ref()
            .map(|a| a.flags.iter().map(|f| f.kind.to_string()).collect())
            .unwrap_or_default()
    };
    let mut out = callqa::report::output::stdout();
    let printed = match args.format {
        SampleFormat::Json => {
            let calls: Vec<_> = sample
                .iter()
                .map(|c| {
                    json!({
                        "call_id": c.row.id(),
                        "audio_hash": c.row.call_id,
                        "file": c.row.path,
                        "agent_id": c.row.agent_id,
                        "queue": c.row.queue,
                        "started_at": c.row.started_at,
                        "scores": rubric_ids.iter().map(|r| (r.clone(), json!(c.score(r)))).collect::<serde_json::Map<_, _>>(),
                        "critical_failed": c.analysis.as_ref().map(|a| a.results.iter().filter(|r| r.critical_failed).map(|r| r.rubric_id.clone()).collect::<Vec<_>>()),
                        "flags": flags_of(c),
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&json!({
                "sample_id": sample_id,
                "auditor": auditor,
                "parameters": parameters,
                "population": population,
                "calls": calls,
            }))?;
            writeln!(out, "{text}")
        }
        SampleFormat::Csv if args.template => {
            match callqa::report::calibrate::write_template(&store, &sample, &mut out) {
                Ok(()) => Ok(()),
                Err(callqa::report::calibrate::CalibrateError::Write(e)) => Err(e),
                Err(e) => return Err(e).context("writing the verdict sheet"),
            }
        }
        SampleFormat::Csv => print_csv(&mut out, &sample, &rubric_ids, &flags_of),
        SampleFormat::Table => print_table(
            &mut out,
            &sample,
            &rubric_ids,
            &flags_of,
            format!(
                "sample {sample_id} by {}: {} of {population} call(s), seed {seed}",
                one_line(&auditor),
                sample.len()
            ),
        ),
    };
    printed.and_then(|()| out.flush())?;
    Ok(ExitCode::SUCCESS)
}

/// The sample as CSV: one row per call, a score column per rubric, text cells defused.
fn print_csv(
    out: &mut dyn Write,
    sample: &[Candidate],
    rubric_ids: &[String],
    flags_of: &dyn Fn(&Candidate) -> Vec<String>,
) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let mut header = vec!["call_id", "file", "agent_id", "queue", "started_at"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    header.extend(rubric_ids.iter().map(|r| format!("{r}_score")));
    header.push("flags".into());
    header.push("audio_hash".into());
    let mut written = csv.write_record(&header);
    for c in sample {
        // Text cells are defused for spreadsheets; scores are numbers.
        let mut row: Vec<String> = [
            c.row.id(),
            &c.row.path,
            &c.row.agent_id,
            c.row.queue.as_deref().unwrap_or(""),
            c.row.started_at.as_deref().unwrap_or(""),
        ]
        .iter()
        .map(|v| csv_text(v).into_owned())
        .collect();
        row.extend(
            rubric_ids
                .iter()
                .map(|r| c.score(r).map_or(String::new(), |s| format!("{s}"))),
        );
        row.push(csv_text(&flags_of(c).join(";")).into_owned());
        row.push(c.row.call_id.clone());
        written = written.and_then(|()| csv.write_record(&row));
    }
    written
        .and_then(|()| csv.flush().map_err(csv::Error::from))
        .map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(e) => e,
            other => std::io::Error::other(format!("{other:?}")),
        })
}

/// A call as a table shows it: the user's id in full, or the first 12 digits of the hash.
fn short_id(row: &callqa::store::CallRow) -> String {
    match &row.external_id {
        Some(id) => id.clone(),
        None => row.call_id.chars().take(12).collect(),
    }
}

/// The sample as a terminal table; every stored value on one line, control characters shown.
fn print_table(
    out: &mut dyn Write,
    sample: &[Candidate],
    rubric_ids: &[String],
    flags_of: &dyn Fn(&Candidate) -> Vec<String>,
    title: String,
) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    let mut header = format!("{:<12}  {:<20}  {:<12}", "call", "started", "agent");
    for r in rubric_ids {
        header.push_str(&format!("  {:>10}", one_line(r)));
    }
    writeln!(out, "{header}  flags / file")?;
    for c in sample {
        let mut line = format!(
            "{:<12}  {:<20}  {:<12}",
            one_line(&short_id(&c.row)),
            one_line(c.row.started_at.as_deref().unwrap_or("-")),
            one_line(&c.row.agent_id)
        );
        for r in rubric_ids {
            let critical = c.analysis.as_ref().is_some_and(|a| {
                a.results
                    .iter()
                    .any(|x| &x.rubric_id == r && x.critical_failed)
            });
            let s = c.score(r).map_or("n/a".into(), |s| {
                format!("{s:.0}{}", if critical { "!" } else { "" })
            });
            line.push_str(&format!("  {s:>10}"));
        }
        let flags = flags_of(c);
        writeln!(
            out,
            "{line}  {}{}",
            if flags.is_empty() {
                String::new()
            } else {
                one_line(&format!("[{}] ", flags.join(","))).into_owned()
            },
            one_line(&c.row.path)
        )?;
    }
    Ok(())
}
