//! Errors as they cross IPC to the window: `{code, message, field, errors}`.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    /// The form field the error is about, so the window can show it beside that field (the
    /// first one when a form has several problems).
    pub field: Option<String>,
    /// Every field problem of the form, `{field, message}`, so the window can show all of them
    /// at once, each beside its field (empty when the error is not about input).
    pub errors: Vec<recert_core::error::FieldError>,
}

impl From<recert_core::Error> for IpcError {
    fn from(error: recert_core::Error) -> Self {
        if matches!(error, recert_core::Error::Database(_) | recert_core::Error::Io { .. }) {
            warn!("recert: {error}");
        }
        let errors = error.field_errors();
        let message = match errors.first() {
            // The field is reported separately; the message beside it need not repeat it.
            Some(first) => first.message.clone(),
            None => error.to_string(),
        };
        Self { code: error.code(), field: error.field().map(str::to_string), message, errors }
    }
}

impl IpcError {
    pub fn internal(message: impl Into<String>) -> Self {
        Self { code: "internal", message: message.into(), field: None, errors: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_keeps_its_field() {
        let error = recert_core::dates::parse_date("date", "2026-02-30").unwrap_err();
        let json = serde_json::to_value(IpcError::from(error)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid",
                "field": "date",
                "message": "2026-02-30 is not a real calendar date",
                "errors": [{"field": "date", "message": "2026-02-30 is not a real calendar date"}]
            })
        );
    }

    #[test]
    fn every_problem_of_a_form_crosses_with_its_field() {
        let form = recert_core::activity::ActivityForm {
            title: String::new(),
            completed_on: "2026-02-30".into(),
            hours: "8".into(),
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let json = serde_json::to_value(IpcError::from(form.validate(today).unwrap_err())).unwrap();
        assert_eq!(json["code"], "invalid");
        assert_eq!((json["field"].as_str(), json["message"].as_str()), (Some("title"), Some("must not be empty")));
        assert_eq!(
            json["errors"],
            serde_json::json!([
                {"field": "title", "message": "must not be empty"},
                {"field": "date", "message": "2026-02-30 is not a real calendar date"}
            ])
        );
    }

    #[test]
    fn not_found_has_no_field() {
        let json = serde_json::to_value(IpcError::from(recert_core::Error::not_found("credential", 9))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "not_found", "field": null, "message": "credential not found: 9", "errors": []})
        );
    }
}
