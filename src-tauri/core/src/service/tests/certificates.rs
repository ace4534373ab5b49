//! Certificates read with the bodies this person deals with, not only the built-in catalog's.

use std::path::Path;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

use super::*;
use crate::certificate::{read_certificate, Limits};
use crate::credential::{CredentialForm, CredentialText};

/// A one-page PDF whose text layer holds `lines`, as a course provider's would.
fn text_pdf(path: &Path, lines: &[&str]) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut operations = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 12.into()])];
    for (i, line) in lines.iter().enumerate() {
        let y = 760 - 20 * i as i64;
        operations.push(Operation::new("Tm", vec![1.into(), 0.into(), 0.into(), 1.into(), 50.into(), y.into()]));
        operations.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
    }
    operations.push(Operation::new("ET", vec![]));
    let content = Content { operations }.encode().unwrap();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id });
    let pages = dictionary! {
        "Type" => "Pages",
        "Kids" => vec![page_id.into()],
        "Count" => 1,
        "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.save(path).unwrap();
}

/// A credential typed in (its body in no catalog): its certificates' units are found for it, and
/// go to it in the log form, as a catalog body's would.
#[test]
fn units_for_the_body_of_a_credential_typed_in_are_found() {
    let (dir, mut recert) = open();
    let form = CredentialForm {
        earned_on: "2025-06-01".into(),
        fields: CredentialText {
            name: Some("Kettlebell Instructor".into()),
            body: Some("StrongFirst".into()),
            cycle_years: Some("2".into()),
            units_required: Some("16".into()),
            unit: Some("CEU".into()),
            hours_per_unit: Some("1".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let kettlebell = recert.add_credential(&form, now(), d("2026-11-23")).unwrap();
    let pdf = dir.path().join("certificate.pdf");
    text_pdf(
        &pdf,
        &[
            "Certificate of Completion",
            "Kettlebell Fundamentals",
            "Completed on 11/02/2026",
            "StrongFirst awards 1.6 CEUs",
        ],
    );
    let built_in = read_certificate(&pdf, &Limits::default()).unwrap();
    assert!(built_in.reading.units.is_empty(), "the built-in catalog knows no StrongFirst");
    let read = recert.read_certificate(&pdf, &Limits::default()).unwrap();
    let units: Vec<(String, String)> =
        read.reading.units.iter().map(|u| (u.body.clone(), u.amount.to_string())).collect();
    assert_eq!(units, [("StrongFirst".to_string(), "1.6".to_string())]);
    let logged = crate::certificate::form(&read, Default::default(), &recert.credentials().unwrap());
    let credit = logged.credit_to.iter().find(|c| c.credential_id == kettlebell.id).unwrap();
    assert_eq!(credit.units.as_deref(), Some("1.6"));
}
