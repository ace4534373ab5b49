//! The money ahead: renewal fees with their total.

use serde::Serialize;

/// Renewal fees ahead with their total; fees the sources don't give are counted, not summed.
#[derive(Debug, Clone, Serialize)]
pub struct CostsView {
    pub items: Vec<crate::costs::UpcomingCost>,
    pub known_total_cents: i64,
    pub unknown_count: usize,
}

impl From<Vec<crate::costs::UpcomingCost>> for CostsView {
    fn from(items: Vec<crate::costs::UpcomingCost>) -> Self {
        let (known, unknown_count) = crate::costs::total(&items);
        Self { items, known_total_cents: known.0, unknown_count }
    }
}
