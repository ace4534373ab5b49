#!/usr/bin/env python3
"""`make test-sync`: two real Syncthing daemons carry Recert's shared folder between two data folders.

Each daemon has its own home, listens on 127.0.0.1 only, with global and local discovery, relays
and NAT traversal off; they know each other by device id and address and share one folder. Two
Recert data folders (outside the shared folders) sync through it: a course logged with a proof on
the "laptop" appears, proof included, on "home", and an edit made on home comes back.

Usage: python3 scripts/sync-e2e.py --recert target/debug/recert [--timeout 120]
"""

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET

TODAY = "2026-12-06"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """One Syncthing instance with its own home, GUI/REST and listen port on 127.0.0.1."""

    def __init__(self, name, root):
        self.name = name
        self.home = os.path.join(root, f"syncthing-{name}")
        self.shared = os.path.join(root, f"shared-{name}")
        os.makedirs(self.shared)
        self.gui = free_port()
        self.listen = free_port()
        self.key = f"recert-test-{name}-{os.getpid()}"
        run(["syncthing", "generate", f"--home={self.home}", "--no-default-folder", "--skip-port-probing"])
        self.device = run(["syncthing", "serve", f"--home={self.home}", "--device-id"]).strip()
        self.configure()
        self.log = open(os.path.join(root, f"syncthing-{name}.log"), "w")
        env = dict(os.environ, STNODEFAULTFOLDER="1", STNOUPGRADE="1")
        self.process = subprocess.Popen(
            ["syncthing", "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade",
             f"--gui-address=http://127.0.0.1:{self.gui}", f"--gui-apikey={self.key}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def configure(self):
        """Local only: no discovery, relays or NAT traversal; no usage reports or crash reports."""
        path = os.path.join(self.home, "config.xml")
        tree = ET.parse(path)
        options = tree.getroot().find("options")
        settings = {
            "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false", "relaysEnabled": "false",
            "natEnabled": "false", "urAccepted": "-1", "autoUpgradeIntervalH": "0", "startBrowser": "false",
            "crashReportingEnabled": "false",
        }
        for key, value in settings.items():
            element = options.find(key)
            if element is None:
                element = ET.SubElement(options, key)
            element.text = value
        for element in options.findall("listenAddress"):
            options.remove(element)
        ET.SubElement(options, "listenAddress").text = f"tcp://127.0.0.1:{self.listen}"
        tree.write(path)

    def rest(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui}{path}", data=data, method=method,
                                         headers={"X-API-Key": self.key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return json.loads(text) if text.strip().startswith(("{", "[")) else text

    def wait_ready(self, deadline):
        while time.monotonic() < deadline:
            try:
                self.rest("GET", "/rest/system/ping")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"sync-e2e: Syncthing {self.name} did not start; see {self.log.name}")

    def share_with(self, other):
        self.rest("POST", "/rest/config/devices", {
            "deviceID": other.device, "name": other.name, "addresses": [f"tcp://127.0.0.1:{other.listen}"],
        })
        self.rest("POST", "/rest/config/folders", {
            "id": "recert", "label": "Recert", "path": self.shared, "type": "sendreceive",
            "devices": [{"deviceID": self.device}, {"deviceID": other.device}],
            "fsWatcherEnabled": True, "fsWatcherDelayS": 1, "rescanIntervalS": 5,
        })

    def connected_to(self, other):
        connections = self.rest("GET", "/rest/system/connections")["connections"]
        return connections.get(other.device, {}).get("connected", False)

    def scan(self):
        self.rest("POST", "/rest/db/scan?folder=recert")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"sync-e2e: {' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


class Computer:
    def __init__(self, recert, data_dir, daemon):
        self.recert, self.data_dir, self.daemon = recert, data_dir, daemon

    def __call__(self, *args):
        return run([self.recert, "--data-dir", self.data_dir, "--today", TODAY, *args],
                   env=dict(os.environ, RECERT_NO_AGENT="1"))

    def json(self, *args):
        return json.loads(self(*args, "--json"))

    def sync(self):
        report = self.json("sync")
        self.daemon.scan()
        return report


def wait_for(what, check, deadline, *computers):
    """Syncs every computer about once a second until `check()` holds."""
    while time.monotonic() < deadline:
        for computer in computers:
            computer.sync()
        if check():
            return
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recert", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    if shutil.which("syncthing") is None:
        raise SystemExit("sync-e2e: syncthing is not installed (scripts/install-deps.sh test installs it)")
    recert = os.path.abspath(args.recert)
    root = tempfile.mkdtemp(prefix="recert-sync-e2e-")
    daemons = []
    passed = failed = 0
    try:
        laptop_st, home_st = Daemon("laptop", root), Daemon("home", root)
        daemons = [laptop_st, home_st]
        deadline = time.monotonic() + args.timeout
        for daemon in daemons:
            daemon.wait_ready(deadline)
        laptop_st.share_with(home_st)
        home_st.share_with(laptop_st)
        while not laptop_st.connected_to(home_st):
            if time.monotonic() > deadline:
                raise SystemExit("sync-e2e: the two Syncthing daemons did not connect on 127.0.0.1")
            time.sleep(0.5)
        print(f"sync-e2e: Syncthing {run(['syncthing', '--version']).split()[1]}: two daemons connected on 127.0.0.1")

        laptop = Computer(recert, os.path.join(root, "data-laptop"), laptop_st)
        home = Computer(recert, os.path.join(root, "data-home"), home_st)
        proof = os.path.join(root, "certificate.pdf")
        with open(proof, "wb") as f:
            f.write(b"%PDF-1.4 Mobility workshop, 4 hours\n")
        laptop("add", "--preset", "nasm-cpt", "--earned", "2025-06-01", "--number", "ABC")
        laptop("log", "--title", "Mobility workshop", "--date", "2026-10-01", "--hours", "4", "--proof", proof)
        laptop("sync", "--folder", laptop_st.shared, "--name", "laptop")
        laptop_st.scan()
        home("sync", "--folder", home_st.shared, "--name", "home")

        cases = []

        def case(name):
            def wrap(fn):
                cases.append((name, fn))
                return fn
            return wrap

        @case("a course logged on the laptop appears on home, with its proof")
        def _():
            def arrived():
                titles = [a["title"] for a in home.json("activities")]
                return "Mobility workshop" in titles and os.path.isdir(os.path.join(home.data_dir, "proofs"))
            wait_for("the course on home", arrived, time.monotonic() + args.timeout, laptop, home)
            wait_for("the proof on home", lambda: len(os.listdir(os.path.join(home.data_dir, "proofs"))) > 0,
                     time.monotonic() + args.timeout, laptop, home)
            activity = home.json("activities")[0]
            copy = os.path.join(home.data_dir, activity["proof"]["stored_path"])
            with open(copy, "rb") as f:
                assert hashlib.sha256(f.read()).hexdigest() == activity["proof"]["sha256"], "the proof differs"
            status_laptop = [(s["abbreviation"], s["units_pending"], s["status"]) for s in laptop.json("status")]
            status_home = [(s["abbreviation"], s["units_pending"], s["status"]) for s in home.json("status")]
            assert status_laptop == status_home, f"{status_laptop} != {status_home}"

        @case("an edit on home comes back to the laptop")
        def _():
            home_id = str(home.json("status")[0]["id"])
            home("edit", home_id, "--number", "ABD")
            laptop_id = str(laptop.json("status")[0]["id"])
            wait_for("the number on the laptop",
                     lambda: laptop.json("show", laptop_id)["credential"]["number"] == "ABD",
                     time.monotonic() + args.timeout, home, laptop)
            history = laptop("show", laptop_id)
            assert "changed on home" in history and "ABC → ABD" in history, history

        @case("each computer lists the other in sync --status")
        def _():
            for computer, other in [(laptop, "home"), (home, "laptop")]:
                status = computer.json("sync", "--status")
                names = [d["name"] for d in status["devices"]]
                assert names == [other], status
                assert status["waiting"] == [], status

        for name, fn in cases:
            try:
                fn()
                passed += 1
                print(f"ok: {name}")
            except AssertionError as error:
                failed += 1
                print(f"FAILED: {name}: {error}")
    finally:
        for daemon in daemons:
            daemon.stop()
        if failed == 0:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"sync-e2e: kept {root} (Syncthing logs, data folders)")
    print(f"sync-e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
