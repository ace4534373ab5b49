//! How the store names a database file to SQLite: a leaf module that opening, damage checks and
//! restore all use, so none of them depends on another for it.

use std::path::Path;

/// A `file:` URI that opens `path` read-only. `immutable`: nothing can change the file while it
/// is open, so SQLite takes no lock and needs no `-shm` file (which a read-only folder can't hold).
pub(super) fn read_only_uri(path: &Path, immutable: bool) -> String {
    let mut uri = String::from("file:");
    for byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'?' | b'#' | b'%' => uri.push_str(&format!("%{byte:02X}")),
            _ => uri.push(char::from(*byte)),
        }
    }
    uri.push_str(if immutable { "?immutable=1" } else { "?mode=ro" });
    uri
}
