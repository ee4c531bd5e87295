//! What people read: one evaluated call (`callqa show`), and — as they land — coaching reports
//! and exports.

pub mod calibrate;
mod call;
pub mod coaching;
mod export;
pub mod output;
pub mod review;
pub mod sample;

pub use call::render_call;
pub use export::{each_value, export_values, write_csv, write_jsonl, ExportError};
