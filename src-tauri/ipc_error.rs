//! Errors as they cross IPC to the window: `{code, message, field}`.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    /// The form field the error is about, so the window can show it beside that field.
    pub field: Option<String>,
}

impl From<recert_core::Error> for IpcError {
    fn from(error: recert_core::Error) -> Self {
        if matches!(error, recert_core::Error::Database(_) | recert_core::Error::Io { .. }) {
            warn!("recert: {error}");
        }
        let message = match &error {
            // The field is reported separately; the message beside it need not repeat it.
            recert_core::Error::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        };
        Self { code: error.code(), field: error.field().map(str::to_string), message }
    }
}

impl IpcError {
    pub fn internal(message: impl Into<String>) -> Self {
        Self { code: "internal", message: message.into(), field: None }
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
            serde_json::json!({"code": "invalid", "field": "date", "message": "2026-02-30 is not a real calendar date"})
        );
    }

    #[test]
    fn not_found_has_no_field() {
        let json = serde_json::to_value(IpcError::from(recert_core::Error::not_found("credential", 9))).unwrap();
        assert_eq!(json, serde_json::json!({"code": "not_found", "field": null, "message": "credential not found: 9"}));
    }
}
