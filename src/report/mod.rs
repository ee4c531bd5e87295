//! What people read: one evaluated call (`callqa show`), and — as they land — coaching reports
//! and exports.

mod call;

pub use call::render_call;
