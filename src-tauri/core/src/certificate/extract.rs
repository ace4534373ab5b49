//! A certificate file's text: a PDF's text layer through lopdf + pdf-extract (pure Rust; they
//! parse the file and never run what it contains — no JavaScript, no fonts' programs, no
//! links), and images or scanned pages through Tesseract's command-line program, run as its own
//! process with a time limit and the image on its standard input (no temporary file, no network).
//! Every limit (size, pages, pixels, time) is checked before the work it bounds, and named in the
//! message when it refuses a file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::quote;

/// The bounds on what a certificate may cost to read.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_pages: usize,
    pub max_pixels: u64,
    /// For the whole reading (all pages, text layer or OCR).
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 50 * 1024 * 1024, max_pages: 20, max_pixels: 60_000_000, time: Duration::from_secs(60) }
    }
}

/// How the text was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A PDF's text layer.
    PdfText,
    /// Tesseract on the pictures of a PDF without a text layer.
    PdfScan,
    /// Tesseract on a PNG or JPEG.
    Image,
}

#[derive(Debug, Clone)]
pub struct Extracted {
    pub source: Source,
    pub pages: usize,
    pub text: String,
    pub sha256: String,
}

fn bad(file: &Path, message: impl std::fmt::Display) -> Error {
    Error::invalid("certificate", format!("{}: {message}", quote::path(file)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    Png,
    Jpeg,
    Heic,
    Other,
}

impl Format {
    fn sniff(bytes: &[u8]) -> Self {
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            Format::Pdf
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Format::Png
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Format::Jpeg
        } else if bytes.len() > 12
            && &bytes[4..8] == b"ftyp"
            && [b"heic", b"heix", b"mif1", b"heif"].iter().any(|b| &bytes[8..12] == *b)
        {
            Format::Heic
        } else {
            Format::Other
        }
    }

    fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => Format::Pdf,
            "png" => Format::Png,
            "jpg" | "jpeg" => Format::Jpeg,
            "heic" | "heif" => Format::Heic,
            _ => Format::Other,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Format::Pdf => "a PDF",
            Format::Png => "a PNG image",
            Format::Jpeg => "a JPEG image",
            Format::Heic => "a HEIC photo",
            Format::Other => "neither a PDF nor an image",
        }
    }
}

/// Reads the text of a certificate file within `limits`.
pub fn extract(file: &Path, limits: &Limits) -> Result<Extracted> {
    let started = Instant::now();
    let metadata = std::fs::metadata(file).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound { what: "certificate", id: quote::path(file).to_string() },
        _ => bad(file, format!("cannot be read ({error})")),
    })?;
    if !metadata.is_file() {
        return Err(bad(file, "is not a regular file"));
    }
    if metadata.len() == 0 {
        return Err(bad(file, "is empty (0 bytes): no certificate to read"));
    }
    if metadata.len() > limits.max_bytes {
        return Err(bad(
            file,
            format!(
                "is {} MB; Recert reads certificates of at most {} MB",
                metadata.len() / (1024 * 1024),
                limits.max_bytes / (1024 * 1024)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::fs::File::open(file)
        .and_then(|f| f.take(limits.max_bytes + 1).read_to_end(&mut bytes))
        .map_err(|error| bad(file, format!("cannot be read ({error})")))?;
    let format = Format::sniff(&bytes);
    if let Some(named) = Format::from_extension(file) {
        if named != Format::Other && named != format {
            return Err(bad(file, format!("is {}, not {} as its name says", format.name(), named.name())));
        }
    }
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let (source, pages, text) = match format {
        Format::Pdf => read_pdf(file, &bytes, limits, started)?,
        Format::Png | Format::Jpeg => {
            check_pixels(file, &bytes, limits)?;
            (Source::Image, 1, ocr(file, &bytes, limits.time)?)
        }
        Format::Heic => {
            return Err(bad(
                file,
                "is a HEIC photo, which Recert cannot read yet: save it as JPEG or PNG and read that",
            ))
        }
        Format::Other => {
            return Err(bad(file, "is not a certificate Recert can read (a PDF, PNG or JPEG)"));
        }
    };
    Ok(Extracted { source, pages, text, sha256 })
}

/// Width and height from a PNG's or JPEG's header, without decoding it.
fn dimensions(bytes: &[u8]) -> Option<(u64, u64)> {
    if bytes.starts_with(b"\x89PNG") {
        let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        return Some((w.into(), h.into()));
    }
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let length = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            return Some((w.into(), h.into()));
        }
        i += 2 + length;
    }
    None
}

fn check_pixels(file: &Path, bytes: &[u8], limits: &Limits) -> Result<()> {
    let Some((w, h)) = dimensions(bytes) else {
        return Err(bad(file, "is a damaged image: its size cannot be read"));
    };
    if w == 0 || h == 0 {
        return Err(bad(file, "is an empty image"));
    }
    if w * h > limits.max_pixels {
        return Err(bad(
            file,
            format!(
                "is {w}×{h} pixels ({} megapixels); Recert reads images of at most {} megapixels",
                w * h / 1_000_000,
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// Characters a page's text layer must have to be read as text (below: a scan).
const MIN_TEXT_CHARS: usize = 20;

fn read_pdf(file: &Path, bytes: &[u8], limits: &Limits, started: Instant) -> Result<(Source, usize, String)> {
    let document = match lopdf::Document::load_mem(bytes) {
        Ok(document) => document,
        Err(error) => {
            let text = error.to_string().to_ascii_lowercase();
            if text.contains("decrypt") || text.contains("password") || text.contains("encrypt") {
                return Err(encrypted(file));
            }
            return Err(bad(file, "is a damaged PDF or no PDF at all: it cannot be read"));
        }
    };
    if document.is_encrypted() || document.trailer.get(b"Encrypt").is_ok() && document.encryption_state.is_none() {
        return Err(encrypted(file));
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(bad(file, "is a PDF without pages"));
    }
    if pages.len() > limits.max_pages {
        return Err(bad(
            file,
            format!("has {} pages; Recert reads certificates of at most {} pages", pages.len(), limits.max_pages),
        ));
    }
    let page_count = pages.len();
    let text = text_layer(file, document.clone(), limits.time)?;
    let meaningful = text.chars().filter(|c| c.is_alphanumeric()).count();
    if meaningful >= MIN_TEXT_CHARS {
        return Ok((Source::PdfText, page_count, text));
    }
    // A scan: the pictures of each page through Tesseract.
    let mut out = String::new();
    let mut pictures = 0;
    for (_, page_id) in pages {
        let images = document.get_page_images(page_id).unwrap_or_default();
        let Some(image) = images.iter().max_by_key(|i| i.width * i.height) else { continue };
        let pixels = (image.width.max(0) as u64) * (image.height.max(0) as u64);
        if pixels > limits.max_pixels {
            return Err(bad(
                file,
                format!(
                    "holds a scan of {} megapixels; Recert reads scans of at most {} megapixels",
                    pixels / 1_000_000,
                    limits.max_pixels / 1_000_000
                ),
            ));
        }
        let encoded = scan_as_image(&document, image).ok_or_else(|| {
            bad(file, "holds a scan stored in a way Recert cannot read (only JPEG and plain pictures)")
        })?;
        let left = limits.time.checked_sub(started.elapsed()).unwrap_or_default();
        if left.is_zero() {
            return Err(time_out(file, limits.time));
        }
        out.push_str(&ocr(file, &encoded, left)?);
        out.push('\n');
        pictures += 1;
    }
    if pictures == 0 {
        return Err(bad(file, "is a PDF with neither text nor a scanned page: there is nothing to read"));
    }
    Ok((Source::PdfScan, page_count, out))
}

fn encrypted(file: &Path) -> Error {
    bad(file, "is an encrypted PDF: save or print it without a password, then read that copy")
}

fn time_out(file: &Path, limit: Duration) -> Error {
    bad(file, format!("took more than {} s to read; Recert stops there", limit.as_secs()))
}

/// The text layer through pdf-extract, on a thread of its own with a time limit; a panic in the
/// library (a malformed file) is a damaged PDF, not a crash.
fn text_layer(file: &Path, document: lopdf::Document, limit: Duration) -> Result<String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pdf-text".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut text = String::new();
                let mut output = pdf_extract::PlainTextOutput::new(&mut text);
                pdf_extract::output_doc(&document, &mut output).map(|()| text)
            }));
            let _ = sender.send(result);
        })
        .map_err(|error| bad(file, format!("could not be read ({error})")))?;
    match receiver.recv_timeout(limit) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(_))) | Ok(Err(_)) => Err(bad(file, "is a damaged PDF: its text cannot be read")),
        Err(_) => Err(time_out(file, limit)),
    }
}

/// A page's picture as a file Tesseract reads: JPEG as stored, else raw pixels as PNM.
fn scan_as_image(document: &lopdf::Document, image: &lopdf::xobject::PdfImage) -> Option<Vec<u8>> {
    let filters = image.filters.clone().unwrap_or_default();
    if filters.iter().any(|f| f == "DCTDecode") {
        return (filters.len() == 1).then(|| image.content.to_vec());
    }
    if !filters.iter().all(|f| f == "FlateDecode") || image.bits_per_component != Some(8) {
        return None;
    }
    let stream = document.get_object(image.id).ok()?.as_stream().ok()?;
    let pixels = if filters.is_empty() { stream.content.clone() } else { stream.decompressed_content().ok()? };
    let (magic, channels) = match image.color_space.as_deref() {
        Some("DeviceGray") => ("P5", 1),
        Some("DeviceRGB") => ("P6", 3),
        _ => return None,
    };
    let expected = (image.width * image.height * channels) as usize;
    if pixels.len() < expected {
        return None;
    }
    let mut pnm = format!("{magic}\n{} {}\n255\n", image.width, image.height).into_bytes();
    pnm.extend_from_slice(&pixels[..expected]);
    Some(pnm)
}

/// The Tesseract program: $RECERT_TESSERACT, else `tesseract` on the PATH.
fn tesseract_program() -> PathBuf {
    std::env::var_os("RECERT_TESSERACT").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("tesseract"))
}

/// Whether images can be read here (Tesseract and its English data are installed).
pub fn ocr_available() -> bool {
    Command::new(tesseract_program())
        .arg("--list-langs")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == "eng"))
        .unwrap_or(false)
}

/// Tesseract on one picture, killed when `limit` passes.
fn ocr(file: &Path, image: &[u8], limit: Duration) -> Result<String> {
    let started = Instant::now();
    let mut child = Command::new(tesseract_program())
        .args(["stdin", "stdout", "-l", "eng", "--psm", "3"])
        // One thread: OpenMP's spinning threads make it slower on a busy 2-core machine (1.8 s
        // against 1.0 s a page here), and the window keeps a core.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => bad(
                file,
                "is a picture, and reading pictures needs Tesseract, which is not installed \
                 (Debian/Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-eng)",
            ),
            _ => bad(file, format!("could not be read: Tesseract did not start ({error})")),
        })?;
    let mut stdin = child.stdin.take().expect("piped");
    let image = image.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&image);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout.read_to_end(&mut text);
        text
    });
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut text);
        text
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(time_out(file, limit));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(error) => return Err(bad(file, format!("could not be read ({error})"))),
        }
    };
    let _ = writer.join();
    let text = reader.join().unwrap_or_default();
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        let errors = String::from_utf8_lossy(&errors);
        let first = errors.lines().find(|l| !l.trim().is_empty()).unwrap_or("no reason given");
        if errors.contains("eng.traineddata") {
            return Err(bad(
                file,
                "is a picture, and Tesseract lacks its English data (Debian/Ubuntu: sudo apt install tesseract-ocr-eng)",
            ));
        }
        return Err(bad(file, format!("could not be read: Tesseract failed ({})", quote::message(first, 120))));
    }
    Ok(String::from_utf8_lossy(&text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_and_sizes() {
        assert_eq!(Format::sniff(b"%PDF-1.4\n"), Format::Pdf);
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\n...."), Format::Png);
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Format::Jpeg);
        assert_eq!(Format::sniff(b"hello"), Format::Other);
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&10_000u32.to_be_bytes());
        assert_eq!(dimensions(&png), Some((20_000, 10_000)));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0x01, 0x00, 0x02, 0x00, 3, 0, 0, 0, 0, 0, 0];
        assert_eq!(dimensions(&jpeg), Some((512, 256)));
    }

    #[test]
    fn refuses_what_is_not_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pdf");
        std::fs::write(&empty, b"").unwrap();
        assert!(extract(&empty, &Limits::default()).unwrap_err().to_string().contains("0 bytes"));
        let lying = dir.path().join("photo.pdf");
        std::fs::write(&lying, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10").unwrap();
        assert!(extract(&lying, &Limits::default()).unwrap_err().to_string().contains("is a PNG image, not a PDF"));
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, b"just some words").unwrap();
        assert!(extract(&text, &Limits::default()).unwrap_err().to_string().contains("not a certificate"));
        let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        huge.extend_from_slice(&20_000u32.to_be_bytes());
        huge.extend_from_slice(&10_000u32.to_be_bytes());
        let big = dir.path().join("big.png");
        std::fs::write(&big, &huge).unwrap();
        let message = extract(&big, &Limits::default()).unwrap_err().to_string();
        assert!(message.contains("200 megapixels") && message.contains("at most 60"), "{message}");
    }
}
