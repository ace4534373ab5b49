#!/usr/bin/env python3
"""The package test: installs the .deb built by `make package` on this machine and checks it as a
user would get it. Run through `make test-package` (root or sudo, inside Xvfb + a D-Bus session).

1. The package's metadata: Depends names a package for every shared library the binaries need
   (so `apt-get install ./recert_*.deb` on a plain Debian/Ubuntu pulls them in), and the .rpm
   holds the same files.
2. `apt-get install ./recert_*.deb` installs it.
3. The desktop entry passes desktop-file-validate, the AppStream metainfo passes
   `appstreamcli validate --no-net`, and icons are installed at the usual sizes.
4. `recert --version` runs from the PATH.
5. The installed app, started as the desktop entry's Exec line says, opens its window and shows
   the dashboard (driven through tauri-driver / WebKitWebDriver); `recert --hidden` (start at
   login) becomes the background agent, which loads no GTK or WebKit.
6. `apt-get purge recert` leaves no file or folder of the package behind.

It refuses to start when a `recert` package is already installed: it would remove it.
"""

import glob
import http.client
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
OUT = os.path.join(TARGET, "package")
ICON_SIZES = ["32x32", "64x64", "128x128", "256x256", "512x512"]
SUDO = [] if os.geteuid() == 0 else ["sudo"]
FAILURES = []


def step(text):
    print(f"test-package: {text}", flush=True)


def check(condition, what):
    if condition:
        print(f"  ok   {what}", flush=True)
    else:
        print(f"  FAIL {what}", flush=True)
        FAILURES.append(what)
    return condition


def run(args, **kwargs):
    return subprocess.run(args, text=True, capture_output=True, **kwargs)


def installed():
    return run(["dpkg-query", "-W", "-f=${Status}", "recert"]).stdout.startswith("install ok")


def only(pattern):
    found = glob.glob(os.path.join(OUT, pattern))
    if len(found) != 1:
        sys.exit(f"test-package: expected one {pattern} in {OUT} (run `make package` first), found {found}")
    return found[0]


def needed_libraries(binary):
    """The shared libraries a binary names directly (DT_NEEDED), resolved by the dynamic loader."""
    names = [line.split("[", 1)[1].split("]", 1)[0]
             for line in run(["readelf", "-d", binary]).stdout.splitlines() if "(NEEDED)" in line]
    resolved = {}
    for line in run(["ldd", binary]).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "=>":
            resolved[parts[0]] = parts[2]
        elif parts and parts[0].startswith("/"):  # the dynamic loader: "/lib64/ld-linux-x86-64.so.2 (0x…)"
            resolved[os.path.basename(parts[0])] = parts[0]
    return {name: resolved.get(name) for name in names}


def package_of(path):
    for candidate in (path, os.path.realpath(path), "/usr" + path if path.startswith("/lib") else path):
        result = run(["dpkg-query", "-S", candidate])
        if result.returncode == 0:
            return result.stdout.split(":")[0].strip()
    return None


def dependency_closure(packages):
    """Every package apt would install for `packages` (Depends and Pre-Depends, recursively)."""
    result = run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                  "--no-breaks", "--no-replaces", "--no-enhances", *packages])
    closure = set(packages)
    for line in result.stdout.splitlines():
        line = line.strip()
        if line and not line.startswith(("Depends:", "PreDepends:", "|")) and not line.startswith("<"):
            closure.add(line.split(":")[0])
        elif line.startswith(("Depends:", "PreDepends:", "|Depends:", "|PreDepends:")):
            closure.add(line.split(":", 1)[1].strip().split(":")[0].strip("<>"))
    return closure


def check_metadata(deb, rpm):
    step(f"metadata of {os.path.basename(deb)}")
    fields = {key: run(["dpkg-deb", "-f", deb, key]).stdout.strip() for key in ("Package", "Depends", "Recommends")}
    print(f"  Depends: {fields['Depends']}\n  Recommends: {fields['Recommends']}")
    check(fields["Package"] == "recert", "the package is named recert")
    depends = [d.split("(")[0].split("|")[0].strip() for d in fields["Depends"].split(",") if d.strip()]
    closure = dependency_closure(depends)
    with tempfile.TemporaryDirectory() as unpacked:
        subprocess.check_call(["dpkg-deb", "-x", deb, unpacked])
        binaries = sorted(glob.glob(os.path.join(unpacked, "usr/bin/*")))
        names = sorted(os.path.basename(b) for b in binaries)
        check(names == ["recert", "recert-agent"], f"the package holds recert and recert-agent in /usr/bin: {names}")
        agent = os.path.join(unpacked, "usr/bin/recert-agent")
        if os.path.exists(agent):
            heavy = [lib for lib in needed_libraries(agent) if "gtk" in lib or "webkit" in lib]
            check(not heavy, f"recert-agent links no GTK or WebKit {heavy or ''}")
        for binary in binaries:
            for library, path in needed_libraries(binary).items():
                owner = package_of(path) if path else None
                check(owner is not None and owner in closure,
                      f"{os.path.basename(binary)} needs {library}: from {owner}, pulled in by Depends")
        deb_files = sorted("/" + os.path.relpath(os.path.join(d, f), unpacked)
                           for d, _, files in os.walk(unpacked) for f in files)
    rpm_files = sorted(line for line in run(["rpm", "-qlp", rpm]).stdout.splitlines() if line.startswith("/"))
    rpm_dirs = {os.path.dirname(f) for f in deb_files}
    rpm_only_files = [f for f in rpm_files if f not in rpm_dirs]
    check(rpm_only_files == deb_files, f"{os.path.basename(rpm)} holds the same {len(deb_files)} files as the .deb")
    requires = run(["rpm", "-qp", "--requires", rpm]).stdout.split()
    check(any(r.startswith("webkit2gtk4.1") or "webkit2gtk" in r for r in requires), "the .rpm requires WebKitGTK")


class Driver:
    """A WebDriver session on tauri-driver, which starts WebKitWebDriver and the application."""

    def __init__(self, application, env):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            native = s.getsockname()[1]
        driver = shutil.which("tauri-driver") or os.path.expanduser("~/.cargo/bin/tauri-driver")
        self.process = subprocess.Popen([driver, "--port", str(port), "--native-port", str(native)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                self.request("GET", "/status", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": application}}}}
        try:
            self.session = self.request("POST", "/session", caps)["value"]["sessionId"]
        except BaseException:
            self.session = None
            self.close()
            raise

    @classmethod
    def started(cls, application, env, attempts=3):
        """A session, started again from scratch when the driver drops the request: tauri-driver now
        and then reuses a connection WebKitWebDriver has just closed ("Remote end closed connection
        without response"), a fault of the driver, not of the app (bench-desktop.py does the same)."""
        for attempt in range(attempts):
            try:
                return cls(application, env)
            except (http.client.HTTPException, ConnectionError) as error:
                if attempt == attempts - 1:
                    raise
                print(f"  (the driver dropped the new session: {error!r}; starting it again)", file=sys.stderr)
                time.sleep(1)

    def request(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return json.loads(response.read() or b"null")

    def script(self, source):
        return self.request("POST", f"/session/{self.session}/execute/sync", {"script": source, "args": []})["value"]

    def wait_for(self, what, source, seconds=30):
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            value = self.script(source)
            if value:
                return value
            time.sleep(0.2)
        return None

    def close(self):
        try:
            if self.session:
                self.request("DELETE", f"/session/{self.session}", timeout=10)
        except (OSError, http.client.HTTPException):
            pass
        # The whole session: tauri-driver, WebKitWebDriver and the app it started.
        try:
            os.killpg(self.process.pid, 9)
        except ProcessLookupError:
            pass
        self.process.wait()


def check_window(exec_line, home, data_dir):
    step("the installed app opens its window")
    application = shutil.which(shlex.split(exec_line)[0])
    check(application == "/usr/bin/recert", f"the desktop entry's Exec ({exec_line}) runs /usr/bin/recert")
    env = dict(os.environ, HOME=home, RECERT_DATA_DIR=data_dir, XDG_CONFIG_HOME=os.path.join(home, ".config"))
    subprocess.check_call(["recert", "add", "--preset", "nsca-cscs", "--earned", "2025-06-01"], env=env,
                          stdout=subprocess.DEVNULL)
    step("recert --hidden (start at login) becomes the background agent")
    hidden = subprocess.Popen(["recert", "--hidden"], env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    became = ""
    for _ in range(100):
        became = os.path.realpath(f"/proc/{hidden.pid}/exe") if hidden.poll() is None else "(ended)"
        if became == "/usr/bin/recert-agent":
            break
        time.sleep(0.1)
    check(became == "/usr/bin/recert-agent", f"recert --hidden runs as {became}")
    maps = open(f"/proc/{hidden.pid}/maps").read() if hidden.poll() is None else ""
    check(maps and "libgtk" not in maps and "libwebkit" not in maps, "the agent maps no GTK or WebKit")
    driver = Driver.started(application or "/usr/bin/recert", env)
    try:
        ready = driver.wait_for("the dashboard", "return !!document.querySelector('#app[data-ready=\"true\"]')"
                                " && [...document.querySelectorAll('.credential-card')].map(c => c.textContent).join('|');")
        check(bool(ready) and "CSCS" in ready, f"the dashboard shows the credential added with the CLI: {str(ready)[:80]!r}")
        shot = os.path.join(OUT, "installed-window.png")
        if shutil.which("import"):
            subprocess.run(["import", "-window", "root", shot], check=False)
            print(f"  (screenshot: {shot})")
    finally:
        driver.close()
        stop_processes_of(data_dir)
        hidden.wait()


def stop_processes_of(data_dir):
    """Ends the agent (and any window it opened): every process given the data folder."""
    variable = f"RECERT_DATA_DIR={data_dir}".encode()
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().split(b"\0")
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:
            continue
        if int(entry) != os.getpid() and (data_dir.encode() in cmdline or variable in environ):
            try:
                os.kill(int(entry), 9)
            except OSError:
                pass


def main():
    deb, rpm = only("recert_*.deb"), only("recert-*.rpm")
    for path in (deb, rpm):
        print(f"test-package: {os.path.basename(path)}: {os.path.getsize(path) / 1048576:.1f} MiB ({os.path.getsize(path)} bytes)")
    # The packaging issue's limit: a download a trainer does not think twice about.
    check(os.path.getsize(deb) <= 8 * 1048576, f"the .deb is at most 8 MiB ({os.path.getsize(deb) / 1048576:.1f} MiB)")
    check(subprocess.run(["dpkg-deb", "--info", deb], capture_output=True, text=True).returncode == 0,
          "dpkg reads the recompressed .deb")
    if installed():
        sys.exit("test-package: a recert package is already installed here and this test would remove it;"
                 " remove it first (apt-get remove recert)")
    check_metadata(deb, rpm)

    # What the package will put where, and which of those folders exist already (/usr, …).
    contents = [line.split(None, 5)[5].split(" -> ")[0] for line in run(["dpkg-deb", "-c", deb]).stdout.splitlines()]
    paths = {"/" + path.lstrip("./").rstrip("/") for path in contents if path.strip("./")}
    existed_before = {path for path in paths if os.path.lexists(path)}
    home = tempfile.mkdtemp(prefix="recert-home-")
    data_dir = tempfile.mkdtemp(prefix="recert-data-")
    try:
        step(f"apt-get install {os.path.basename(deb)}")
        # apt-get install wants a path with a slash to take a file rather than a package name.
        result = run(SUDO + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                             "--no-install-recommends", os.path.abspath(deb)])
        if not check(result.returncode == 0 and installed(), "the package installs with apt-get"):
            print(result.stdout[-2000:], result.stderr[-2000:])
            return
        listed = {line for line in run(["dpkg-query", "-L", "recert"]).stdout.splitlines() if line.startswith("/")}
        check(listed - {"/."} == paths, f"dpkg lists the {len(paths)} paths of the package")
        files = sorted(path for path in listed if os.path.isfile(path) or os.path.islink(path))
        print("  files: " + ", ".join(files))

        desktop = [f for f in files if f.startswith("/usr/share/applications/") and f.endswith(".desktop")]
        if check(len(desktop) == 1, "one desktop entry in /usr/share/applications"):
            result = run(["desktop-file-validate", desktop[0]])
            check(result.returncode == 0 and not result.stdout.strip(),
                  f"desktop-file-validate {desktop[0]}: {(result.stdout + result.stderr).strip() or 'no remarks'}")
        metainfo = [f for f in files if f.startswith("/usr/share/metainfo/")]
        if check(len(metainfo) == 1, "AppStream metainfo in /usr/share/metainfo"):
            result = run(["appstreamcli", "validate", "--no-net", metainfo[0]])
            check(result.returncode == 0, f"appstreamcli validate --no-net: {result.stdout.strip().splitlines()[-1:]}")
        for size in ICON_SIZES:
            check(f"/usr/share/icons/hicolor/{size}/apps/recert.png" in files, f"a {size} icon")

        step("recert --version from the PATH")
        result = run(["recert", "--version"], env=dict(os.environ, PATH="/usr/local/bin:/usr/bin:/bin"))
        check(result.returncode == 0 and result.stdout.startswith("recert "), f"recert --version: {result.stdout.strip()}")

        exec_line = next((line.split("=", 1)[1].strip() for line in open(desktop[0]) if line.startswith("Exec=")), "")
        check_window(exec_line, home, data_dir)
    finally:
        if installed():
            step("apt-get purge recert")
            result = run(SUDO + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "-q", "recert"])
            check(result.returncode == 0 and not installed(), "the package is removed")
            # Every file goes, and so does every folder that did not exist before.
            left = sorted(path for path in paths - existed_before if os.path.lexists(path))
            check(not left, f"nothing of the package is left ({len(paths - existed_before)} paths it created)"
                  f"{': ' + ', '.join(left) if left else ''}")
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)

    if FAILURES:
        print(f"test-package: {len(FAILURES)} check(s) failed:")
        for failure in FAILURES:
            print(f"  - {failure}")
        sys.exit(1)
    print("test-package: all checks passed")


if __name__ == "__main__":
    main()
