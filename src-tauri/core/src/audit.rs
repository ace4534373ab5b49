//! The audit packet: everything a body asks for when it audits one credential's cycle, in one zip —
//! a printable transcript (HTML), the same rows as CSV, the proof files, and `SHA256SUMS`, which
//! `sha256sum -c` verifies.

use std::fmt::Write as _;
use std::io::{Read, Seek, Write};
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::activity::{Activity, Credit};
use crate::credential::{Credential, PastCycle};
use crate::error::{Error, Result};
use crate::ledger_csv::cell_as_written;
use crate::progress::Progress;
use crate::rules::Cycle;

/// Which cycle of a credential an audit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditCycle {
    Current,
    /// The most recent closed cycle.
    Previous,
}

impl AuditCycle {
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "current" | "" => Ok(Self::Current),
            "previous" => Ok(Self::Previous),
            other => {
                let shown: String = other.chars().take(40).flat_map(char::escape_debug).collect();
                Err(Error::invalid("cycle", format!("\"{shown}\" is not current or previous")))
            }
        }
    }
}

/// What goes into a packet, gathered by the service.
pub struct AuditContent<'a> {
    pub credential: &'a Credential,
    pub cycle: Cycle,
    /// The renewal that closed this cycle, when it is a past one.
    pub renewal: Option<&'a PastCycle>,
    pub progress: &'a Progress,
    /// The activities credited toward this cycle, oldest first, with the credit for this credential.
    pub credits: Vec<(&'a Activity, &'a Credit)>,
    pub generated_on: NaiveDate,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The name a proof file has inside the packet.
fn packed_proof_name(activity: &Activity) -> Option<String> {
    let proof = activity.proof.as_ref()?;
    let name = Path::new(&proof.stored_path).file_name()?.to_string_lossy().into_owned();
    Some(format!("proofs/{name}"))
}

/// The printable transcript: the credential, the cycle, each activity and what it earned, the
/// totals per category against the rules, and the renewal record.
pub fn transcript_html(content: &AuditContent<'_>) -> String {
    let c = content.credential;
    let unit = c.rules.unit.as_deref().unwrap_or("units");
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#111}}table{{border-collapse:collapse;width:100%;margin:1rem 0}}\
         th,td{{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}}td.n{{text-align:right}}\
         h1{{margin-bottom:0}}.muted{{color:#555}}@media print{{body{{margin:0}}}}</style></head><body>\n",
        title = escape(&format!("{} — continuing education transcript", c.abbreviation))
    );
    let _ = write!(
        html,
        "<h1>{}</h1>\n<p class=\"muted\">{} · {}{}</p>\n",
        escape(&c.name),
        escape(&c.abbreviation),
        escape(&c.body),
        c.number.as_ref().map(|n| format!(" · Credential number {}", escape(n))).unwrap_or_default()
    );
    let _ = writeln!(
        html,
        "<p>Cycle <strong>{}</strong> to <strong>{}</strong> · first earned {} · prepared {} with Recert</p>",
        content.cycle.start, content.cycle.end, c.earned_on, content.generated_on
    );
    html.push_str("<h2>Activities</h2>\n<table><thead><tr><th>Date</th><th>Activity</th><th>Provider</th>");
    let _ =
        writeln!(html, "<th>Hours</th><th>{}</th><th>Category</th><th>Proof</th></tr></thead><tbody>", escape(unit));
    for (activity, credit) in &content.credits {
        let proof = match (&activity.proof, packed_proof_name(activity)) {
            (Some(proof), Some(name)) => {
                format!("{}<br><span class=\"muted\">SHA-256 {}</span>", escape(&name), &proof.sha256)
            }
            _ => "—".into(),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td><td>{}</td><td>{}</td></tr>",
            activity.completed_on,
            escape(&activity.title),
            escape(activity.provider.as_deref().unwrap_or("")),
            activity.hours,
            credit.units,
            if credit.overridden { " (as granted)" } else { "" },
            escape(credit.category.as_deref().unwrap_or("—")),
            proof
        );
    }
    html.push_str("</tbody></table>\n<h2>Totals against the rules</h2>\n<table><thead><tr><th>Category</th>");
    html.push_str("<th>Credited</th><th>Counts</th><th>Minimum</th><th>Maximum</th></tr></thead><tbody>\n");
    let limit = |value: Option<crate::amount::Units>| value.map_or("—".to_string(), |u| u.to_string());
    for category in &content.progress.categories {
        let _ = writeln!(
            html,
            "<tr><td>{} — {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&category.key),
            escape(&category.name),
            category.credited,
            category.earned,
            limit(category.min),
            limit(category.max)
        );
    }
    let required = content.progress.units_required.map_or("unknown".to_string(), |u| format!("{u} {unit}"));
    let _ = write!(
        html,
        "</tbody></table>\n<p><strong>Total that counts: {} {}</strong> of {} required{}.</p>\n",
        content.progress.units_earned,
        escape(unit),
        escape(&required),
        if content.progress.prorated { " (prorated)" } else { "" }
    );
    html.push_str("<h2>Renewal</h2>\n");
    match content.renewal {
        Some(renewal) => {
            let fee = renewal.fee_paid.map_or("not recorded".to_string(), |f| f.to_string());
            let _ = writeln!(html, "<p>Renewed on {} · fee paid {}</p>", renewal.renewed_on, escape(&fee));
        }
        None => html.push_str("<p>This cycle has not been renewed yet.</p>\n"),
    }
    html.push_str("</body></html>\n");
    html
}

/// The same rows as CSV.
pub fn transcript_csv(content: &AuditContent<'_>) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let unit = content.credential.rules.unit.clone().unwrap_or_else(|| "units".into());
    let csv_error = |e: csv::Error| Error::Corrupt(format!("the transcript could not be written: {e}"));
    writer
        .write_record(["date", "title", "provider", "hours", &unit, "category", "proof", "proof_sha256"])
        .map_err(csv_error)?;
    for (activity, credit) in &content.credits {
        writer
            .write_record([
                activity.completed_on.to_string(),
                cell_as_written(&activity.title).into_owned(),
                cell_as_written(activity.provider.as_deref().unwrap_or_default()).into_owned(),
                activity.hours.to_string(),
                credit.units.to_string(),
                cell_as_written(credit.category.as_deref().unwrap_or_default()).into_owned(),
                packed_proof_name(activity).unwrap_or_default(),
                activity.proof.as_ref().map(|p| p.sha256.clone()).unwrap_or_default(),
            ])
            .map_err(csv_error)?;
    }
    writer.into_inner().map_err(|e| Error::Corrupt(format!("the transcript could not be written: {e}")))
}

/// A proof whose file no longer has the SHA-256 recorded when it was logged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangedProof {
    /// Its name in the packet (`proofs/…`).
    pub name: String,
    pub recorded_sha256: String,
    pub found_sha256: String,
}

/// The name of the note a packet holds when a proof differs from its record.
pub const PROOF_CHECK_FILE: &str = "PROOF-CHECK.txt";

/// Writes the packet: transcript, CSV, each proof (streamed from `data_dir`, checked against its
/// recorded SHA-256), a note naming the proofs that differ, and SHA256SUMS. Returns those.
pub fn write_packet(out: impl Write + Seek, content: &AuditContent<'_>, data_dir: &Path) -> Result<Vec<ChangedProof>> {
    let zip_error = |e: zip::result::ZipError| Error::Corrupt(format!("the audit packet could not be written: {e}"));
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut sums = String::new();
    let mut add = |zip: &mut zip::ZipWriter<_>, name: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(bytes).map_err(|e| Error::io("writing the audit packet", e))?;
        let _ = writeln!(sums, "{:x}  {name}", Sha256::digest(bytes));
        Ok(())
    };
    add(&mut zip, "transcript.html", transcript_html(content).as_bytes())?;
    add(&mut zip, "activities.csv", &transcript_csv(content)?)?;
    let mut packed = std::collections::HashSet::new();
    let mut changed = Vec::new();
    for (activity, _) in &content.credits {
        let (Some(proof), Some(name)) = (&activity.proof, packed_proof_name(activity)) else { continue };
        if !packed.insert(name.clone()) {
            continue; // One file for several activities is packed once.
        }
        let source = data_dir.join(&proof.stored_path);
        let mut file = std::fs::File::open(&source)
            .map_err(|e| Error::io(format!("reading the proof {}", source.display()), e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        // Proofs are streamed (never read whole), and zip64 is used when one needs it.
        zip.start_file(&name, options.large_file(size >= u32::MAX as u64)).map_err(zip_error)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = file.read(&mut buffer).map_err(|e| Error::io(format!("reading {}", source.display()), e))?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            zip.write_all(&buffer[..read]).map_err(|e| Error::io("writing the audit packet", e))?;
        }
        let found = format!("{:x}", hasher.finalize());
        let _ = writeln!(sums, "{found}  {name}");
        if !found.eq_ignore_ascii_case(&proof.sha256) {
            changed.push(ChangedProof { name, recorded_sha256: proof.sha256.clone(), found_sha256: found });
        }
    }
    if !changed.is_empty() {
        let mut note = String::from(
            "These proof files differ from the SHA-256 recorded when their activity was logged: the file in\n\
             Recert's data folder was changed or replaced since. SHA256SUMS lists what the packet holds.\n\n",
        );
        for proof in &changed {
            let _ = writeln!(
                note,
                "{}\n  recorded {}\n  found    {}",
                proof.name, proof.recorded_sha256, proof.found_sha256
            );
        }
        zip.start_file(PROOF_CHECK_FILE, options).map_err(zip_error)?;
        zip.write_all(note.as_bytes()).map_err(|e| Error::io("writing the audit packet", e))?;
        let _ = writeln!(sums, "{:x}  {PROOF_CHECK_FILE}", Sha256::digest(note.as_bytes()));
    }
    zip.start_file("SHA256SUMS", options).map_err(zip_error)?;
    zip.write_all(sums.as_bytes()).map_err(|e| Error::io("writing the audit packet", e))?;
    zip.finish().map_err(zip_error)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_in_the_transcript() {
        assert_eq!(escape("<img src=x onerror=\"a\">&'"), "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;");
        assert_eq!(AuditCycle::parse("previous").unwrap(), AuditCycle::Previous);
        assert_eq!(AuditCycle::parse("last").unwrap_err().field(), Some("cycle"));
    }
}
