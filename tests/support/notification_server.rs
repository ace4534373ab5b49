//! A freedesktop notification server for tests, on a private D-Bus bus of its own: it answers
//! `Notify` as a real server would and remembers each summary, so a test can count what was
//! raised without a display. The bus has no service activation: nothing else ever starts on it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

struct Notifications {
    summaries: Arc<Mutex<Vec<String>>>,
    last_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        _body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        self.summaries.lock().unwrap().push(summary);
        self.last_id += 1;
        self.last_id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".to_string()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("recert-test".into(), "Recert".into(), "1".into(), "1.2".into())
    }

    fn close_notification(&self, _id: u32) {}
}

pub struct NotificationServer {
    daemon: Child,
    address: String,
    summaries: Arc<Mutex<Vec<String>>>,
    _connection: zbus::Connection,
    _dir: tempfile::TempDir,
}

impl NotificationServer {
    /// Starts `dbus-daemon` on a socket in a new temporary folder, and the server on it.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().display()
            ),
        )
        .unwrap();
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is installed (scripts/install-deps.sh)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_string();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let summaries = Arc::new(Mutex::new(Vec::new()));
        let server = Notifications { summaries: summaries.clone(), last_id: 0 };
        // Once the name is owned the connection serves on zbus's own thread.
        let connection = zbus::block_on(async {
            zbus::connection::Builder::address(address.as_str())
                .name("org.freedesktop.Notifications")
                .serve_at("/org/freedesktop/Notifications", server)
                .build()
                .await
        })
        .expect("the test notification server starts");
        Self { daemon, address, summaries, _connection: connection, _dir: dir }
    }

    /// The value for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The summary of every notification raised so far, in order.
    pub fn summaries(&self) -> Vec<String> {
        self.summaries.lock().unwrap().clone()
    }
}

impl Drop for NotificationServer {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
