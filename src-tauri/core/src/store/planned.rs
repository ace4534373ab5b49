//! Planned courses: the courses the user is considering (see `planner.rs`).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{date, timestamp, Tx};
use crate::amount::{Cents, Hours, Units};
use crate::error::{Error, Result};
use crate::planner::{PlannedApproval, PlannedCourse};

type Row = (i64, String, Option<String>, String, bool, i64, i64);

/// Every planned course, by date then id.
pub(super) fn planned_courses(conn: &Connection) -> Result<Vec<PlannedCourse>> {
    let mut statement = conn.prepare(
        "SELECT id, title, provider, planned_on, any_time_before, hours, cost FROM planned_courses
         ORDER BY planned_on, id",
    )?;
    let rows = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    let mut categories = conn
        .prepare_cached("SELECT planned_id, category FROM planned_course_categories ORDER BY planned_id, position")?;
    let categories = categories
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut approvals = conn.prepare_cached(
        "SELECT planned_id, body, number, units FROM planned_course_approvals ORDER BY planned_id, position",
    )?;
    let approvals = approvals
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, title, provider, planned_on, any_time_before, hours, cost)| {
            Ok(PlannedCourse {
                id,
                title,
                provider,
                planned_on: date(planned_on)?,
                any_time_before,
                hours: Hours(hours),
                cost: Cents(cost),
                categories: categories.iter().filter(|(p, _)| *p == id).map(|(_, c)| c.clone()).collect(),
                approvals: approvals
                    .iter()
                    .filter(|(p, ..)| *p == id)
                    .map(|(_, body, number, units)| PlannedApproval {
                        body: body.clone(),
                        number: number.clone(),
                        units: units.map(Units),
                    })
                    .collect(),
            })
        })
        .collect()
}

pub(super) fn planned_course(conn: &Connection, id: i64) -> Result<PlannedCourse> {
    let exists: Option<i64> =
        conn.query_row("SELECT id FROM planned_courses WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    exists.ok_or_else(|| Error::not_found("planned course", id))?;
    planned_courses(conn)?.into_iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("planned course", id))
}

impl Tx<'_> {
    /// Stores a planned course and returns its id.
    pub fn insert_planned(&self, course: &PlannedCourse, now: DateTime<Utc>) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO planned_courses (title, provider, planned_on, any_time_before, hours, cost, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                course.title,
                course.provider,
                course.planned_on.to_string(),
                course.any_time_before,
                course.hours.0,
                course.cost.0,
                timestamp(now)
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        for (position, category) in course.categories.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO planned_course_categories (planned_id, position, category) VALUES (?1, ?2, ?3)",
                params![id, position as i64, category],
            )?;
        }
        for (position, approval) in course.approvals.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO planned_course_approvals (planned_id, position, body, number, units)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, position as i64, approval.body, approval.number, approval.units.map(|u| u.0)],
            )?;
        }
        Ok(id)
    }

    /// Removes a planned course (its categories and approvals go with it).
    pub fn delete_planned(&self, id: i64) -> Result<()> {
        match self.tx.execute("DELETE FROM planned_courses WHERE id = ?1", [id])? {
            0 => Err(Error::not_found("planned course", id)),
            _ => Ok(()),
        }
    }
}
