//! The arguments of the subcommands that take forms (add, edit, log), and how they become the
//! core's forms. Parsing and validation of the values happen in the core.

use std::path::PathBuf;

use clap::Args;
use recert_core::credential::{CredentialChanges, CredentialForm, CredentialText};

/// Fields a credential has whether it is being added or edited (an empty value clears one).
#[derive(Args, Debug, Clone)]
pub struct CredentialFields {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    body: Option<String>,
    #[arg(long)]
    abbreviation: Option<String>,
    /// Credential (certificate) number
    #[arg(long)]
    number: Option<String>,
    /// Current expiry date, from your certificate (always wins over the computed one)
    #[arg(long, value_name = "YYYY-MM-DD")]
    expires: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// anniversary, anniversary-less-day, month-end, year-end, year-end-before:YYYY-MM-DD,
    /// fixed:YYYY-MM-DD or manual
    #[arg(long, value_name = "RULE")]
    cycle_rule: Option<String>,
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    cycle_years: Option<String>,
    /// Units required per cycle
    #[arg(long, allow_negative_numbers = true, value_name = "U")]
    units: Option<String>,
    /// The unit's name (CEU, CEC)
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
    /// Clock hours per 1.0 unit
    #[arg(long, allow_negative_numbers = true, value_name = "H")]
    hours_per_unit: Option<String>,
    /// Renewal fee, e.g. 60.00
    #[arg(long, allow_negative_numbers = true)]
    fee: Option<String>,
    #[arg(long, allow_negative_numbers = true)]
    late_fee: Option<String>,
    /// How long after the deadline late renewal is accepted: 90 days, 6 months, 1 year (a bare
    /// number is days)
    #[arg(long, alias = "grace-days", allow_negative_numbers = true, value_name = "PERIOD")]
    grace: Option<String>,
    /// Days before the deadline from which the credential counts as due soon
    #[arg(long, allow_negative_numbers = true, value_name = "DAYS")]
    due_soon_days: Option<String>,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// Catalog preset id (see `recert catalog`)
    #[arg(long)]
    preset: Option<String>,
    /// Date first earned (may be left out when --expires is given)
    #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "expires")]
    earned: Option<String>,
    /// You are a member of the body (member renewal fee)
    #[arg(long)]
    member: bool,
    /// This credential requires a current CPR/AED card
    #[arg(long)]
    requires_cpr: bool,
    /// This credential is itself a CPR/AED card
    #[arg(long)]
    cpr_card: bool,
    /// With --cpr-card: whether the card also covers First Aid (yes or no)
    #[arg(long, value_name = "yes|no", value_parser = yes_or_no, requires = "cpr_card")]
    first_aid: Option<bool>,
    /// You used the body's late-reporting period (NSCA 2021–23): this cycle's credits count from
    /// a later day
    #[arg(long)]
    late_reporting: bool,
    /// For a credential typed in: its body accepts only courses it approved (others count once
    /// it accepts a petition)
    #[arg(long)]
    approved_courses_only: bool,
    /// Units already earned this cycle, e.g. 2.5 or 1.0:C (category); repeat for several categories
    #[arg(long, value_name = "UNITS[:CATEGORY]", allow_negative_numbers = true)]
    already_earned: Vec<String>,
    #[command(flatten)]
    fields: CredentialFields,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    #[arg(long, required_unless_present = "from_certificate")]
    pub title: Option<String>,
    /// Completion date: YYYY-MM-DD or MM/DD/YYYY
    #[arg(long, value_name = "DATE", required_unless_present = "from_certificate")]
    pub date: Option<String>,
    /// Clock hours: 1.5, 1h30, 90 min
    #[arg(long, allow_negative_numbers = true, required_unless_present = "from_certificate")]
    pub hours: Option<String>,
    /// Fill the fields from a certificate (PDF, PNG, JPEG), which becomes the proof; any option
    /// given replaces what was read. Shows what it read and asks before logging
    #[arg(long, value_name = "FILE")]
    pub from_certificate: Option<PathBuf>,
    /// With --from-certificate: log without asking
    #[arg(long, requires = "from_certificate")]
    pub yes: bool,
    /// With --from-certificate: log it even though it looks logged already
    #[arg(long, requires = "from_certificate")]
    pub again: bool,
    #[arg(long)]
    pub provider: Option<String>,
    /// What it cost, e.g. 12.50
    #[arg(long, allow_negative_numbers = true)]
    pub cost: Option<String>,
    /// A category tag (A, cpr, ethics…); repeat for several
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    /// Credit only this credential, optionally with the units the body granted; repeat for several
    #[arg(long = "for", value_name = "ID[=UNITS]")]
    pub credit_to: Vec<String>,
    /// A certificate or receipt to keep with the activity
    #[arg(long, value_name = "FILE")]
    pub proof: Option<PathBuf>,
    #[arg(long)]
    pub notes: Option<String>,
    /// A body that approved the course (short or full name), optionally with the approval or
    /// course number: NASM or ACE:CEP-1234; repeat for several
    #[arg(long = "approved-by", value_name = "BODY[:NUMBER]")]
    pub approved_by: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

/// Changes to a logged activity: what is not given stays; an empty value clears an optional one.
#[derive(Args, Debug)]
pub struct EditActivityArgs {
    /// The activity's id (see `recert activities`)
    pub id: i64,
    #[arg(long)]
    pub title: Option<String>,
    /// Completion date: YYYY-MM-DD or MM/DD/YYYY
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Clock hours: 1.5, 1h30, 90 min
    #[arg(long, allow_negative_numbers = true)]
    pub hours: Option<String>,
    #[arg(long)]
    pub provider: Option<String>,
    /// What it cost, e.g. 12.50
    #[arg(long, allow_negative_numbers = true)]
    pub cost: Option<String>,
    /// Replace the category tags (A, cpr, ethics…); repeat for several
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    /// Remove every category tag
    #[arg(long, conflicts_with = "categories")]
    pub no_category: bool,
    /// Choose again: credit only this credential, optionally with units; repeat for several
    #[arg(long = "for", value_name = "ID[=UNITS]")]
    pub credit_to: Vec<String>,
    /// Choose again: credit every credential it can serve, with computed units
    #[arg(long, conflicts_with = "credit_to")]
    pub for_all: bool,
    #[arg(long)]
    pub notes: Option<String>,
    /// Keep this file as the proof instead of the current one (a copy goes into the data folder)
    #[arg(long, value_name = "FILE")]
    pub proof: Option<PathBuf>,
    /// Keep no proof (the stored copy goes unless another activity uses it)
    #[arg(long, conflicts_with = "proof")]
    pub no_proof: bool,
    /// Replace the bodies that approved it: BODY or BODY:NUMBER; repeat for several
    #[arg(long = "approved-by", value_name = "BODY[:NUMBER]")]
    pub approved_by: Vec<String>,
    /// No body approved it
    #[arg(long, conflicts_with = "approved_by")]
    pub no_approvals: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long, value_name = "YYYY-MM-DD")]
    earned: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    cycle_start: Option<String>,
    #[arg(long)]
    member: Option<bool>,
    #[arg(long, allow_negative_numbers = true)]
    member_fee: Option<String>,
    #[arg(long)]
    requires_cpr: Option<bool>,
    /// For a CPR/AED card: whether it also covers First Aid (yes, no, or unknown: not sure)
    #[arg(long, value_name = "yes|no|unknown", value_parser = yes_no_or_unknown)]
    first_aid: Option<Answer>,
    /// Whether you used the body's late-reporting period (NSCA 2021–23): yes or no
    #[arg(long, value_name = "yes|no", value_parser = yes_or_no)]
    late_reporting: Option<bool>,
    /// Whether the body accepts only courses it approved: yes or no
    #[arg(long, value_name = "yes|no", value_parser = yes_or_no)]
    approved_courses_only: Option<bool>,
    /// Replace the categories: KEY[:MIN[:MAX]], repeat for several
    #[arg(long = "category", value_name = "KEY[:MIN[:MAX]]")]
    categories: Vec<String>,
    /// Replace the units already earned before Recert: UNITS[:CATEGORY], repeat for several; 0 removes them
    #[arg(long, value_name = "UNITS[:CATEGORY]", allow_negative_numbers = true)]
    already_earned: Vec<String>,
    #[command(flatten)]
    fields: CredentialFields,
    #[arg(long)]
    pub json: bool,
}

/// "yes" or "no" (also true/false), as the flags that answer a question take them.
fn yes_or_no(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        other => Err(format!("\"{other}\" is not yes or no")),
    }
}

/// A yes-or-no question that may also be answered "not known" (`None`).
#[derive(Debug, Clone, Copy)]
pub struct Answer(Option<bool>);

fn yes_no_or_unknown(text: &str) -> Result<Answer, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "unknown" | "not sure" | "?" => Ok(Answer(None)),
        other => yes_or_no(other)
            .map(|answer| Answer(Some(answer)))
            .map_err(|_| format!("\"{other}\" is not yes, no or unknown")),
    }
}

/// The options adding and editing share, as the core reads them.
impl From<CredentialFields> for CredentialText {
    fn from(f: CredentialFields) -> Self {
        CredentialText {
            name: f.name,
            body: f.body,
            abbreviation: f.abbreviation,
            number: f.number,
            expires: f.expires,
            notes: f.notes,
            cycle_rule: f.cycle_rule,
            cycle_years: f.cycle_years,
            units_required: f.units,
            unit: f.unit,
            hours_per_unit: f.hours_per_unit,
            renewal_fee: f.fee,
            late_fee: f.late_fee,
            grace: f.grace,
            due_soon_days: f.due_soon_days,
        }
    }
}

impl AddArgs {
    pub fn form(&self) -> CredentialForm {
        CredentialForm {
            preset: self.preset.clone(),
            earned_on: self.earned.clone().unwrap_or_default(),
            member: self.member,
            fields: self.fields.clone().into(),
            requires_cpr_aed: self.requires_cpr.then_some(true),
            cpr_card: self.cpr_card,
            covers_first_aid: self.first_aid,
            late_reporting: self.late_reporting,
            approved_courses_only: self.approved_courses_only,
            already_earned: self.already_earned.clone(),
        }
    }
}

impl EditArgs {
    pub fn into_changes(self) -> CredentialChanges {
        CredentialChanges {
            fields: self.fields.into(),
            earned_on: self.earned,
            cycle_start: self.cycle_start,
            member: self.member,
            renewal_fee_member: self.member_fee,
            requires_cpr_aed: self.requires_cpr,
            covers_first_aid: self.first_aid.map(|answer| answer.0),
            late_reporting: self.late_reporting,
            approved_courses_only: self.approved_courses_only,
            categories: (!self.categories.is_empty()).then_some(self.categories),
            already_earned: (!self.already_earned.is_empty()).then(|| {
                // "0" (or nothing but zeros) removes the opening balance.
                let removes = self.already_earned.iter().all(|t| t.trim() == "0" || t.trim().starts_with("0:"));
                if removes {
                    Vec::new()
                } else {
                    self.already_earned
                }
            }),
        }
    }
}
