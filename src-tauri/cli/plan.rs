//! `recert plan`: the courses you are considering, and which to take to stay certified for the
//! least money (or the fewest hours), within a budget and a pace.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use recert_core::activity::ActivityForm;
use recert_core::planner::{Objective, PlanForm, PlanRequest, PlannedForm};
use recert_core::view::{LoggedView, PlanView, PlannedCourseView};
use recert_core::{Error, Recert};

use super::output::{one_line, out, print_json, Outcome};
use super::MAX_ERROR_CHARS;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PlanArgs {
    #[command(subcommand)]
    pub action: Option<PlanAction>,
    /// What to keep lowest: cost or hours
    #[arg(long, default_value = "cost")]
    pub objective: String,
    /// Spend at most this much on the chosen courses, e.g. 300
    #[arg(long, value_name = "DOLLARS")]
    pub budget: Option<String>,
    /// Study at most this many hours a week
    #[arg(long, value_name = "HOURS")]
    pub hours_per_week: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum PlanAction {
    /// Add a course you are considering
    Add(PlanAddArgs),
    /// The courses you are considering
    List {
        #[arg(long)]
        json: bool,
    },
    /// Take a course off the list
    Remove {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Add courses from a spreadsheet (title, date or before, hours; provider, cost, categories,
    /// approved_by), all or nothing
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Log a planned course as done (with its proof) and take it off the list
    Done {
        id: i64,
        /// The day you completed it (default: its planned day, or today if that is ahead)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long, value_name = "FILE")]
        proof: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct PlanAddArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub provider: Option<String>,
    /// The day you plan to take it
    #[arg(long, value_name = "YYYY-MM-DD", required_unless_present = "before", conflicts_with = "before")]
    pub date: Option<String>,
    /// Any time before this day (self-paced)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub before: Option<String>,
    /// 8, 1.5, 1h30 or 90 min
    #[arg(long)]
    pub hours: String,
    /// e.g. 149 or 149.00
    #[arg(long, allow_negative_numbers = true)]
    pub cost: Option<String>,
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// A body that approves it: BODY, BODY:NUMBER, with =UNITS for the units it grants (NASM=1.9)
    #[arg(long = "approved-by", value_name = "BODY[:NUMBER][=UNITS]")]
    pub approved_by: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

impl PlanAction {
    /// Whether the action changes the data.
    pub fn writes(&self) -> bool {
        matches!(self, Self::Add(_) | Self::Remove { .. } | Self::Import { .. } | Self::Done { .. })
    }
}

pub fn form(args: &PlanAddArgs) -> PlannedForm {
    PlannedForm {
        title: args.title.clone(),
        provider: args.provider.clone(),
        date: args.date.clone().or_else(|| args.before.clone()).unwrap_or_default(),
        any_time_before: args.before.is_some(),
        hours: args.hours.clone(),
        cost: args.cost.clone(),
        categories: args.categories.clone(),
        approved_by: args.approved_by.clone(),
    }
}

/// The plan asked for, read by the core's rule (the window's too).
fn request(args: &PlanArgs) -> Result<PlanRequest, Error> {
    PlanForm {
        objective: args.objective.clone(),
        budget: args.budget.clone().unwrap_or_default(),
        hours_per_week: args.hours_per_week.clone().unwrap_or_default(),
    }
    .to_request()
}

fn when(planned_on: NaiveDate, any_time_before: bool) -> String {
    if any_time_before {
        format!("before {planned_on}")
    } else {
        planned_on.to_string()
    }
}

/// Runs `recert plan …`; the exit code (2 when an import has bad lines).
pub fn run(recert: &mut Recert, args: PlanArgs, now: DateTime<Utc>, today: NaiveDate) -> Outcome<i32> {
    match args.action {
        None => show_plan(recert, &args, today).map(|()| 0),
        Some(PlanAction::Add(add)) => {
            let course = recert.add_planned(&form(&add), now)?;
            if add.json {
                print_json(&PlannedCourseView::from(&course))?;
            } else {
                out!(
                    "Planned \"{}\" (planned course {}), {}",
                    course.title,
                    course.id,
                    when(course.planned_on, course.any_time_before)
                )?;
            }
            Ok(0)
        }
        Some(PlanAction::List { json }) => {
            let courses = recert.planned_courses()?;
            if json {
                let views: Vec<PlannedCourseView> = courses.iter().map(PlannedCourseView::from).collect();
                print_json(&views)?;
                return Ok(0);
            }
            if courses.is_empty() {
                out!("No planned courses yet: add one with recert plan add --title … --date … --hours …")?;
            }
            for c in &courses {
                let tags =
                    if c.categories.is_empty() { String::new() } else { format!("  [{}]", c.categories.join(", ")) };
                let bodies: Vec<String> = c.approvals.iter().map(|a| a.spec()).collect();
                let bodies =
                    if bodies.is_empty() { String::new() } else { format!("  approved by {}", bodies.join(", ")) };
                out!(
                    "{:>4}  {:<18} {:<32} {:>6} h  {:>9}{tags}{bodies}",
                    c.id,
                    when(c.planned_on, c.any_time_before),
                    c.title,
                    c.hours.to_string(),
                    c.cost.to_string()
                )?;
            }
            Ok(0)
        }
        Some(PlanAction::Remove { id, json }) => {
            let course = recert.remove_planned(id)?;
            if json {
                print_json(&PlannedCourseView::from(&course))?;
            } else {
                out!("Removed planned course {id} \"{}\"", course.title)?;
            }
            Ok(0)
        }
        Some(PlanAction::Import { file, json }) => import(recert, &file, json, now),
        Some(PlanAction::Done { id, date, proof, json }) => {
            let mut form: ActivityForm = recert.planned_log_form(id, today)?;
            if let Some(date) = date {
                form.completed_on = date;
            }
            form.proof_file = proof;
            let logged = recert.complete_planned(id, &form, now, today)?;
            if json {
                print_json(&LoggedView::from(&logged))?;
            } else {
                out!(
                    "Logged \"{}\" (activity {}) and took it off the plan",
                    logged.activity.title,
                    logged.activity.id
                )?;
            }
            Ok(0)
        }
    }
}

fn import(recert: &mut Recert, file: &Path, json: bool, now: DateTime<Utc>) -> Outcome<i32> {
    let bytes = recert_core::service::read_import_file(file)?;
    let report = recert.import_planned(&bytes, now)?;
    if json {
        print_json(&report)?;
    } else if report.errors.is_empty() {
        out!("Imported {} planned courses", report.imported)?;
    }
    if report.errors.is_empty() {
        return Ok(0);
    }
    for error in &report.errors {
        warn!("recert: {}", recert_core::quote::message(&one_line(&error.to_string()), MAX_ERROR_CHARS));
    }
    warn!("recert: nothing was imported; fix the lines above and import the file again");
    Ok(2)
}

fn show_plan(recert: &Recert, args: &PlanArgs, today: NaiveDate) -> Outcome {
    let plan = recert.plan(&request(args)?, today)?;
    if args.json {
        return print_json(&PlanView::from(&plan));
    }
    let objective = match plan.request.objective {
        Objective::Cost => "lowest cost",
        Objective::Hours => "fewest hours",
    };
    let mut limits = Vec::new();
    if let Some(budget) = plan.request.budget {
        limits.push(format!("at most {budget}"));
    }
    if let Some(pace) = plan.request.hours_per_week {
        limits.push(format!("at most {pace} h a week"));
    }
    let limits = if limits.is_empty() { String::new() } else { format!(", {}", limits.join(", ")) };
    if plan.chosen.is_empty() {
        out!("Plan ({objective}{limits}): no planned course to take")?;
    } else {
        out!(
            "Plan ({objective}{limits}): {} course{}, {}, {} h",
            plan.chosen.len(),
            if plan.chosen.len() == 1 { "" } else { "s" },
            plan.total_cost,
            plan.total_hours
        )?;
        for c in &plan.chosen {
            out!(
                "  {:<18} {:<32} {:>6} h  {:>9}  (planned course {})",
                when(c.planned_on, c.any_time_before),
                c.title,
                c.hours.to_string(),
                c.cost.to_string(),
                c.id
            )?;
        }
    }
    out!("With your plan:")?;
    for c in &plan.credentials {
        out!("  {}", c.sentence)?;
        let unit = c.unit.as_deref().unwrap_or("units");
        for k in &c.contributions {
            let category = k.category.as_ref().map(|c| format!(" in {c}")).unwrap_or_default();
            out!("    {} +{} {unit}{category}", k.title, k.units)?;
        }
        if !c.covered {
            for problem in &c.problems {
                out!("    still missing: {problem}")?;
            }
        }
    }
    if !plan.spending_by_month.is_empty() {
        let months: Vec<String> = plan.spending_by_month.iter().map(|(m, c)| format!("{m} {c}")).collect();
        out!("Planned spending: {}", months.join(", "))?;
    }
    for note in &plan.notes {
        out!("Note: {note}")?;
    }
    Ok(())
}
