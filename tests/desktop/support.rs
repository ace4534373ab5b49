//! Drives the real Recert window through WebDriver: tauri-driver starts WebKitWebDriver, which
//! starts the built `recert` binary. Needs a display and a D-Bus session (`make test` provides
//! both with Xvfb and dbus-run-session).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub const TODAY: &str = "2026-11-23";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn tauri_driver() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let installed = cargo_home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// Recert is a single-instance app: a second window started while one runs would hand over to
/// the first and quit. The window tests therefore take turns.
static ONE_WINDOW_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// tauri-driver with WebKitWebDriver and the app it started, all in one process group: killed
/// together when dropped, even when a test fails before its App exists (a window left behind
/// would take over the next test's launch, single instance, and hang it).
struct DriverGroup(Child);

impl Drop for DriverGroup {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// One running app with its own data folder; everything is torn down on drop.
pub struct App {
    pub client: Client,
    _driver: DriverGroup,
    pub data_dir: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl App {
    pub async fn launch() -> App {
        Self::launch_with(|_| {}).await
    }

    /// Launches the app on a data folder that `prepare` filled first (e.g. with the CLI).
    pub async fn launch_with(prepare: impl FnOnce(&Path)) -> App {
        Self::launch_with_args(prepare, &[]).await
    }

    /// Launches the app with extra command-line arguments (e.g. `--hidden`).
    pub async fn launch_with_args(prepare: impl FnOnce(&Path), extra_args: &[&str]) -> App {
        Self::launch_with_env(prepare, extra_args, &[]).await
    }

    /// Launches the app with extra arguments and environment variables (e.g. its own `HOME`).
    pub async fn launch_with_env(
        prepare: impl FnOnce(&Path),
        extra_args: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
    ) -> App {
        let data_dir = tempfile::tempdir().unwrap();
        prepare(data_dir.path());
        Self::launch_on(data_dir, extra_args, env).await
    }

    /// Launches the app on a data folder that may already be in use (by the background agent).
    pub async fn launch_on(data_dir: tempfile::TempDir, extra_args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the desktop tests need a display: run them with `make test` (Xvfb + D-Bus)"
        );
        let turn = ONE_WINDOW_AT_A_TIME.lock().await;
        let port = free_port();
        let native_port = free_port();
        // In a process group of its own, so that tearing down kills WebKitWebDriver and the app it
        // started too: a window left behind by a failed test would take over the next test's launch
        // (single instance) and hang it.
        let driver = DriverGroup(
            Command::new(tauri_driver())
                .process_group(0)
                .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
                .env("RECERT_DATA_DIR", data_dir.path())
                .envs(env.iter().copied())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("tauri-driver is installed (scripts/install-deps.sh test installs it)"),
        );
        let args: Vec<&str> = extra_args.iter().copied().chain(["--today", TODAY]).collect();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert("tauri:options".into(), json!({"application": env!("CARGO_BIN_EXE_recert"), "args": args}));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::native().capabilities(capabilities.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(error) if started.elapsed() < Duration::from_secs(60) => {
                    eprintln!("desktop test: waiting for tauri-driver: {error}");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => panic!("could not start a WebDriver session on {url}: {error}"),
            }
        };
        eprintln!("desktop test: WebDriver session started");
        let app = App { client, _driver: driver, data_dir, _turn: turn };
        app.wait_for("#app[data-ready='true']").await;
        app
    }

    pub fn data_path(&self) -> &Path {
        self.data_dir.path()
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css} not found: {e}"))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Clicks the element `css` names. The view may draw itself again between finding the element
    /// and clicking it (a refresh after the scheduler's check): the click then goes to the element
    /// drawn anew, for up to five seconds.
    pub async fn click(&self, css: &str) {
        let started = std::time::Instant::now();
        loop {
            match self.wait_for(css).await.click().await {
                Ok(()) => return,
                Err(_) if started.elapsed() < Duration::from_secs(5) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("clicking {css}: {error}"),
            }
        }
    }

    /// Clicks `css` until `done` holds. For a click whose effect draws the view again (Cancel,
    /// Save): WebKitWebDriver may report an error for a click it delivered, and the element is
    /// then gone or hidden, so the outcome decides, not the click's answer.
    pub async fn click_until<F, Fut>(&self, css: &str, what: &str, mut done: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if element.is_displayed().await.unwrap_or(false) {
                    let _ = element.click().await;
                }
            }
            for _ in 0..10 {
                if done().await {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "timed out clicking {css} for {what}");
        }
    }

    /// Replaces the text of an input.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.wait_for(css).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css).await.prop("value").await.unwrap().unwrap_or_default()
    }

    /// Waits until `probe` holds, polling the page.
    pub async fn eventually<F, Fut>(&self, what: &str, mut probe: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while !probe().await {
            assert!(started.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    pub async fn script(&self, source: &str) -> Value {
        self.client.execute(source, vec![]).await.unwrap()
    }

    /// Saves a picture of the screen when RECERT_SCREENSHOTS names a folder. Taken with
    /// ImageMagick from the X server: WebKitWebDriver's own screenshot command hangs under Xvfb.
    pub async fn screenshot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("RECERT_SCREENSHOTS") {
            std::fs::create_dir_all(&dir).unwrap();
            tokio::time::sleep(Duration::from_millis(400)).await; // let transitions settle
            let path = Path::new(&dir).join(format!("{name}.png"));
            let status = Command::new("import").args(["-window", "root"]).arg(&path).status().unwrap();
            assert!(status.success(), "import could not take {}", path.display());
        }
    }

    /// Runs the CLI on the same data folder, as a user would to check what the window saved.
    pub fn cli(&self, args: &[&str]) -> Value {
        cli(self.data_path(), args)
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Dropping the App kills what is left.
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // The background agent first (it would take over the reminders), and any window it opened;
        // the driver group (tauri-driver, WebKitWebDriver, the app) is killed when it drops next.
        kill_processes_of(self.data_path());
    }
}

/// Runs the CLI on a data folder with the tests' fixed day; returns its JSON output.
pub fn cli(data_dir: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_recert"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    if output.stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
    }
}

/// A process working on a data folder: its id, name (`comm`) and binary.
#[derive(Debug, Clone)]
pub struct Process {
    pub pid: u32,
    pub name: String,
    pub exe: PathBuf,
}

/// The processes working on `data_dir`: given it on the command line or in `RECERT_DATA_DIR`
/// (WebKit's processes inherit the window's environment).
pub fn processes_of(data_dir: &Path) -> Vec<Process> {
    let dir = data_dir.as_os_str().as_encoded_bytes();
    let variable = [b"RECERT_DATA_DIR=".as_slice(), dir].concat();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let read = |file: &str| std::fs::read(entry.path().join(file)).unwrap_or_default();
        let cmdline = read("cmdline");
        let environ = read("environ");
        let mentions = cmdline.split(|&b| b == 0).any(|arg| arg == dir)
            || environ.split(|&b| b == 0).any(|pair| pair == variable.as_slice());
        if mentions && pid != std::process::id() {
            let name = String::from_utf8_lossy(&read("comm")).trim().to_string();
            let exe = std::fs::read_link(entry.path().join("exe")).unwrap_or_default();
            found.push(Process { pid, name, exe });
        }
    }
    found
}

/// The background agent running for `data_dir`, from the process id it keeps in `agent.lock`.
pub fn agent_of(data_dir: &Path) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(data_dir.join("agent.lock")).ok()?.trim().parse().ok()?;
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
    (exe.file_name()? == "recert-agent").then_some(pid)
}

/// Ends every Recert process on `data_dir` that this test started: agents, windows and WebKit's.
pub fn kill_processes_of(data_dir: &Path) {
    for process in processes_of(data_dir) {
        let _ = Command::new("kill").args(["-KILL", &process.pid.to_string()]).status();
    }
}

/// Asks the X windows of process `pid` titled `title` to close, as a window manager does when the
/// close button is pressed (a WM_DELETE_WINDOW message). Answers how many were asked.
/// WebDriver's "close window" cannot stand in for it: WebKitWebDriver ends the process itself.
pub fn close_like_the_close_button(pid: u32, title: &str) -> usize {
    use std::ffi::{CStr, CString};
    use x11_dl::xlib;
    let x = xlib::Xlib::open().expect("libX11");
    // SAFETY: plain Xlib calls on a display this function opens and closes; every pointer Xlib
    // returns is checked and freed with XFree.
    unsafe {
        let display = (x.XOpenDisplay)(std::ptr::null());
        assert!(!display.is_null(), "no X display");
        let atom = |name: &str| (x.XInternAtom)(display, CString::new(name).unwrap().as_ptr(), xlib::False);
        let (net_wm_pid, protocols, delete) = (atom("_NET_WM_PID"), atom("WM_PROTOCOLS"), atom("WM_DELETE_WINDOW"));
        let mut pending = vec![(x.XDefaultRootWindow)(display)];
        let mut asked = 0;
        while let Some(window) = pending.pop() {
            let (mut root, mut parent, mut children, mut count) = (0, 0, std::ptr::null_mut(), 0);
            if (x.XQueryTree)(display, window, &mut root, &mut parent, &mut children, &mut count) != 0
                && !children.is_null()
            {
                pending.extend_from_slice(std::slice::from_raw_parts(children, count as usize));
                (x.XFree)(children.cast());
            }
            let (mut kind, mut format, mut items, mut after, mut data) = (0, 0, 0, 0, std::ptr::null_mut());
            let got = (x.XGetWindowProperty)(
                display,
                window,
                net_wm_pid,
                0,
                1,
                xlib::False,
                xlib::XA_CARDINAL,
                &mut kind,
                &mut format,
                &mut items,
                &mut after,
                &mut data,
            );
            let owner = if got == 0 && items == 1 && !data.is_null() {
                Some(*(data as *const std::os::raw::c_ulong) as u32)
            } else {
                None
            };
            if !data.is_null() {
                (x.XFree)(data.cast());
            }
            let mut name = std::ptr::null_mut();
            let named = (x.XFetchName)(display, window, &mut name) != 0 && !name.is_null();
            let matches = named && CStr::from_ptr(name).to_bytes() == title.as_bytes();
            if !name.is_null() {
                (x.XFree)(name.cast());
            }
            if owner == Some(pid) && matches {
                let mut message = xlib::ClientMessageData::new();
                message.set_long(0, delete as std::os::raw::c_long);
                message.set_long(1, xlib::CurrentTime as std::os::raw::c_long);
                let mut event = xlib::XEvent {
                    client_message: xlib::XClientMessageEvent {
                        type_: xlib::ClientMessage,
                        serial: 0,
                        send_event: xlib::True,
                        display,
                        window,
                        message_type: protocols,
                        format: 32,
                        data: message,
                    },
                };
                (x.XSendEvent)(display, window, xlib::False, xlib::NoEventMask, &mut event);
                asked += 1;
            }
        }
        (x.XFlush)(display);
        (x.XCloseDisplay)(display);
        asked
    }
}
