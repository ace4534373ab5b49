//! The JSON shapes Recert shows to programs (`recert … --json`) and to its own window: amounts as
//! plain numbers in the credential's unit (6.0, not 600), money in integer cents, ISO dates.

use crate::amount::{Cents, Units};

mod costs;
mod exchange;
mod ledger;
mod plan;
mod rules;
mod status;
pub use costs::CostsView;
pub use exchange::{ImportReportView, ImportRowView};
pub use ledger::{ActivityCreditView, ActivityView, CreditOutcomeView, LoggedView, PreviewView};
pub use plan::{
    ChosenView, ContributionView, CredentialPlanView, MonthSpendView, PlanView, PlannedCourseView,
    PlannedOnTimelineView,
};
pub use rules::{CategoryLimitView, JointFeeView, LateFeeView, PresetView, RulesView};
pub use status::{CategoryView, CredentialView, CreditLineView, DetailView, IdentityView, PastCycleView, StatusView};

pub(crate) fn number(units: Units) -> f64 {
    units.as_f64()
}

pub(crate) fn cents(money: Option<Cents>) -> Option<i64> {
    money.map(|c| c.0)
}
