//! Planning ahead: the courses the user is considering, the plan that closes every gap for the
//! least money (or hours), and "mark as done", which logs a planned course as an activity.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::ledger::{known_bodies, name_approvals, LoggedActivity};
use super::Recert;
use crate::activity::{ActivityForm, BodyApproval, CreditChoice};
use crate::credential::{Credential, CredentialKind};
use crate::error::{Error, Result};
use crate::ledger_csv::{cell_as_read, Sheet, SheetError};
use crate::planner::{
    make_plan, on_timeline, Plan, PlanRequest, PlannedCourse, PlannedForm, PlannedOnTimeline, Solving, MAX_PLANNED,
};
use crate::store::Read;

/// What importing a list of planned courses did: every bad line, or how many came in.
#[derive(Debug, Clone, Serialize)]
pub struct PlanImportReport {
    pub imported: usize,
    pub errors: Vec<SheetError>,
}

/// Credentials, their running totals and the planned courses, as read for one plan.
#[derive(Debug, Clone)]
pub struct PlanningInputs {
    credentials: Vec<crate::credential::Credential>,
    totals: std::collections::HashMap<i64, crate::progress::CycleTotals>,
    courses: Vec<PlannedCourse>,
}

impl PlanningInputs {
    pub fn plan(&self, request: &PlanRequest, today: NaiveDate) -> Plan {
        make_plan(&self.credentials, &self.totals, &self.courses, request, today, Solving::default())
    }
}

impl Recert {
    /// The courses the user is considering, by date.
    pub fn planned_courses(&self) -> Result<Vec<PlannedCourse>> {
        self.store.planned_courses()
    }

    /// A planned course, its approving bodies named as Recert knows them (short name).
    fn checked_planned(&self, form: &PlannedForm) -> Result<PlannedCourse> {
        let mut course = form.validate()?;
        let bodies = known_bodies(self.catalog(), &self.store.credentials()?);
        let mut approvals: Vec<BodyApproval> =
            course.approvals.iter().map(|a| BodyApproval { body: a.body.clone(), number: None }).collect();
        name_approvals(&mut approvals, &bodies)?;
        for (approval, named) in course.approvals.iter_mut().zip(approvals) {
            approval.body = named.body;
        }
        Ok(course)
    }

    pub fn add_planned(&mut self, form: &PlannedForm, now: DateTime<Utc>) -> Result<PlannedCourse> {
        let mut course = self.checked_planned(form)?;
        course.id = self.store.write(|tx| {
            if tx.planned_courses()?.len() >= MAX_PLANNED {
                return Err(Error::invalid("title", format!("at most {MAX_PLANNED} planned courses")));
            }
            tx.insert_planned(&course, now)
        })?;
        Ok(course)
    }

    pub fn remove_planned(&mut self, id: i64) -> Result<PlannedCourse> {
        self.store.write(|tx| {
            let course = tx.planned_course(id)?;
            tx.delete_planned(id)?;
            Ok(course)
        })
    }

    /// Reads a spreadsheet of planned courses (title, date or "before", hours; provider, cost,
    /// categories and approved_by, several separated by `;`): every line checked, all written
    /// in one transaction, or none when any line is bad.
    pub fn import_planned(&mut self, bytes: &[u8], now: DateTime<Utc>) -> Result<PlanImportReport> {
        let (forms, mut errors) = read_planned_csv(bytes);
        let mut courses = Vec::new();
        for (line, form) in forms {
            match self.checked_planned(&form) {
                Ok(course) => courses.push(course),
                Err(error) => {
                    let fields = error.field_errors();
                    if fields.is_empty() {
                        errors.push(SheetError { line, column: None, message: error.to_string() });
                    }
                    for field in fields {
                        errors.push(SheetError { line, column: Some(field.field), message: field.message });
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Ok(PlanImportReport { imported: 0, errors });
        }
        let imported = self.store.write(|tx| {
            if tx.planned_courses()?.len() + courses.len() > MAX_PLANNED {
                return Err(Error::invalid("file", format!("at most {MAX_PLANNED} planned courses")));
            }
            for course in &courses {
                tx.insert_planned(course, now)?;
            }
            Ok(courses.len())
        })?;
        Ok(PlanImportReport { imported, errors })
    }

    /// The plan: which planned courses to take so every credential is complete by its deadline.
    pub fn plan(&self, request: &PlanRequest, today: NaiveDate) -> Result<Plan> {
        Ok(self.planning_inputs()?.plan(request, today))
    }

    /// What a plan is made from, read at once: the window plans from it without holding the
    /// store while the solver runs.
    pub fn planning_inputs(&self) -> Result<PlanningInputs> {
        Ok(PlanningInputs {
            credentials: self.store.credentials()?,
            totals: self.store.current_cycle_totals()?,
            courses: self.store.planned_courses()?,
        })
    }

    /// The planned courses as the timeline shows them: planned, not earned.
    pub fn planned_on_timeline(&self, today: NaiveDate) -> Result<Vec<PlannedOnTimeline>> {
        Ok(on_timeline(&self.store.credentials()?, &self.store.planned_courses()?, today))
    }

    /// The log form, filled in from a planned course ("Mark as done"): the user adds the proof.
    pub fn planned_log_form(&self, id: i64, today: NaiveDate) -> Result<ActivityForm> {
        let course = self.store.planned_course(id)?;
        Ok(log_form(&course, &self.store.credentials()?, today))
    }

    /// Logs a planned course as done and takes it off the list.
    pub fn complete_planned(
        &mut self,
        id: i64,
        form: &ActivityForm,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<LoggedActivity> {
        // Refused before a proof is copied; taken off in the transaction that logs it.
        self.store.planned_course(id)?;
        self.log_activity_and(form, now, today, |tx| tx.delete_planned(id))
    }
}

/// The log form for a planned course done: its date (today if it is still ahead), hours, cost,
/// categories and approvals. Where the plan counted it differently from the rules of a logged
/// course — units a body grants (`NASM=1.9`), or bodies named that leave out a credential held —
/// the form credits the credentials of the bodies named, with those units typed for theirs, as
/// the plan counted it; otherwise the crediting is left to the rules.
pub fn log_form(course: &PlannedCourse, credentials: &[Credential], today: NaiveDate) -> ActivityForm {
    let approval_of = |c: &Credential| course.approvals.iter().find(|a| c.is_body_named(&a.body));
    let held = || credentials.iter().filter(|c| c.kind != CredentialKind::CprAed);
    let as_planned = course.approvals.iter().any(|a| a.units.is_some())
        || (!course.approvals.is_empty() && held().any(|c| approval_of(c).is_none()));
    let credit_to = if as_planned {
        held()
            .filter_map(|c| {
                let approval = approval_of(c)?;
                Some(CreditChoice { credential_id: c.id, units: approval.units.map(|u| u.to_string()) })
            })
            .collect()
    } else {
        Vec::new()
    };
    ActivityForm {
        credit_to,
        title: course.title.clone(),
        provider: course.provider.clone(),
        // Done today at the latest: a date still ahead is no completion date.
        completed_on: course.planned_on.min(today).to_string(),
        hours: course.hours.to_string(),
        cost: Some(format!("{}.{:02}", course.cost.0 / 100, course.cost.0 % 100)),
        categories: course.categories.clone(),
        approved_by: course
            .approvals
            .iter()
            .map(|a| BodyApproval { body: a.body.clone(), number: a.number.clone() }.spec())
            .collect(),
        ..Default::default()
    }
}

/// Lines of a planned-course spreadsheet as forms, with their line numbers; problems with the
/// file itself (not CSV, no title column) as errors.
fn read_planned_csv(bytes: &[u8]) -> (Vec<(u64, PlannedForm)>, Vec<SheetError>) {
    let whole = |message: String| SheetError { line: 0, column: None, message };
    let mut sheet = match Sheet::open(bytes) {
        Ok(sheet) => sheet,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let header: Vec<String> = sheet.header.iter().map(|h| h.replace([' ', '-'], "_")).collect();
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let title = column(&["title", "course", "name"]);
    let date = column(&["date", "planned_on", "planned_date", "when"]);
    let before = column(&["before", "any_time_before", "by"]);
    let hours = column(&["hours", "duration"]);
    let missing: Vec<&str> = [("title", title), ("hours", hours)]
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .chain((date.is_none() && before.is_none()).then_some("date (or before)"))
        .collect();
    if !missing.is_empty() {
        return (Vec::new(), vec![whole(format!("the file has no {} column", missing.join(", ")))]);
    }
    let provider = column(&["provider"]);
    let cost = column(&["cost", "price"]);
    let categories = column(&["categories", "category"]);
    let approved = column(&["approved_by", "approvals", "bodies"]);
    let mut forms = Vec::new();
    let mut errors = Vec::new();
    for row in sheet.rows() {
        let Ok((line, record)) = row.map_err(|error| errors.push(error)) else { continue };
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).map_or("", cell_as_read).trim().to_string();
        let list = |c: Option<usize>| -> Vec<String> {
            cell(c).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
        };
        let (date_text, any_time_before) = match (cell(date), cell(before)) {
            (d, b) if d.is_empty() && !b.is_empty() => (b, true),
            (d, _) => (d, false),
        };
        forms.push((
            line,
            PlannedForm {
                title: cell(title),
                provider: Some(cell(provider)),
                date: date_text,
                any_time_before,
                hours: cell(hours),
                cost: Some(cell(cost)),
                categories: list(categories),
                approved_by: list(approved),
            },
        ));
    }
    (forms, errors)
}
