//! A notification server on a private D-Bus bus, for `scripts/reliability`: prints the bus
//! address, then answers each `summaries` line on standard input with the summary of every
//! notification raised so far, one per line, and `end`. Exits when standard input closes.

#[path = "../tests/support/notification_server.rs"]
mod notification_server;

use std::io::{BufRead, Write};

fn main() {
    let server = notification_server::NotificationServer::start();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", server.address()).and_then(|()| out.flush());
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim() == "summaries" {
            for summary in server.summaries() {
                let _ = writeln!(out, "{}", summary.replace('\n', " "));
            }
            if writeln!(out, "end").and_then(|()| out.flush()).is_err() {
                break;
            }
        }
    }
}
