//! The `circlework` binary as a user runs it: the demo (first run, second run, reset,
//! refusal), `user add`, `serve`, the time to healthy, and what the logs leave out.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::{
    io::{BufRead, BufReader, Read, Write},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_circlework");

fn circlework(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("CIRCLEWORK_DATABASE_URL")
        .env_remove("CIRCLEWORK_BIND");
    command
}

fn run_ok(args: &[&str]) -> String {
    let output = circlework(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A running server process and the address it printed.
struct Server {
    child: Child,
    base: String,
    started: Instant,
}

impl Server {
    fn start(args: &[&str], log_level: &str) -> Server {
        let started = Instant::now();
        let mut child = circlework(args)
            .env("CIRCLEWORK_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server printed its address")
                .unwrap();
            if let Some(rest) = line.split("serving on ").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            base,
            started,
        }
    }

    /// Stops the server and returns what it logged on standard error.
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        let mut logs = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut logs)
            .unwrap();
        self.child.wait().unwrap();
        logs
    }
}

fn sqlite_url(dir: &tempfile::TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

#[test]
fn the_demo_seeds_once_reuses_resets_and_answers_healthz_within_ten_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir, "demo.db");
    let server = Server::start(
        &["demo", "--database-url", &url, "--bind", "127.0.0.1:0"],
        "info",
    );
    let healthy = wait_healthy(&server.base);
    let elapsed = server.started.elapsed();
    server.stop();
    assert!(healthy, "the demo never answered /healthz");
    assert!(
        elapsed < Duration::from_secs(10),
        "healthy after {elapsed:?}"
    );

    let second = run_ok(&["demo", "--database-url", &url, "--no-serve"]);
    assert!(second.contains("Reusing the demo database"), "{second}");
    let reset = run_ok(&["demo", "--database-url", &url, "--no-serve", "--reset"]);
    assert!(reset.contains("Seeded the demo database"), "{reset}");
}

#[test]
fn the_demo_refuses_a_database_with_real_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir, "real.db");
    add_user(
        &url,
        "first.admin",
        "admin",
        "a long and private passphrase",
    );
    for extra in [&[][..], &["--reset"][..]] {
        let mut args = vec!["demo", "--database-url", url.as_str(), "--no-serve"];
        args.extend_from_slice(extra);
        let output = circlework(&args).output().unwrap();
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("not demo data"));
    }
    let users = run_ok(&["user", "list", "--database-url", &url]);
    assert!(
        users.contains("first.admin"),
        "the real data is untouched: {users}"
    );
}

#[test]
fn user_add_refuses_weak_passwords_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir, "users.db");
    let weak = add_user_output(&url, "ana", "admin", "short");
    assert!(!weak.status.success());
    add_user(&url, "ana", "admin", "a long and private passphrase");
    let again = add_user_output(&url, "ana", "facilitator", "another long passphrase");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"));
    let generated = run_ok(&[
        "user",
        "add",
        "--database-url",
        &url,
        "--username",
        "ben",
        "--display-name",
        "Ben",
        "--role",
        "supervisor",
    ]);
    assert!(generated.contains("Password for ben"), "{generated}");
}

#[test]
fn logs_never_contain_passwords_or_session_ids() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir, "logs.db");
    let password = "violet-harbour-lantern-42";
    add_user(&url, "log.tester", "facilitator", password);
    let server = Server::start(
        &["serve", "--database-url", &url, "--bind", "127.0.0.1:0"],
        "debug",
    );
    assert!(wait_healthy(&server.base));
    let session = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let login = client
            .get(format!("{}/login", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "name=\"csrf_token\" value=\"";
        let start = login.find(marker).unwrap() + marker.len();
        let token = &login[start..start + 64];
        let wrong = [
            ("csrf_token", token),
            ("username", "log.tester"),
            ("password", "wrong-but-long-password"),
        ];
        client
            .post(format!("{}/login", server.base))
            .form(&wrong)
            .send()
            .await
            .unwrap();
        let right = [
            ("csrf_token", token),
            ("username", "log.tester"),
            ("password", password),
        ];
        let response = client
            .post(format!("{}/login", server.base))
            .form(&right)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303);
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .find_map(|v| {
                v.to_str()
                    .unwrap()
                    .strip_prefix("cw_session=")
                    .map(|r| r.split(';').next().unwrap().to_owned())
            })
            .unwrap();
        client
            .get(format!("{}/home", server.base))
            .send()
            .await
            .unwrap();
        cookie
    });
    let logs = server.stop();
    assert!(logs.contains("request"), "debug logging was on: {logs}");
    for secret in [password, "wrong-but-long-password", session.as_str()] {
        assert!(!logs.contains(secret), "a secret reached the logs");
    }
}

fn add_user_output(url: &str, username: &str, role: &str, password: &str) -> std::process::Output {
    let mut child = circlework(&[
        "user",
        "add",
        "--database-url",
        url,
        "--username",
        username,
        "--display-name",
        username,
        "--role",
        role,
        "--password-stdin",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn add_user(url: &str, username: &str, role: &str, password: &str) {
    let output = add_user_output(url, username, role, password);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Polls `/healthz` for up to 10 seconds.
fn wait_healthy(base: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    while Instant::now() < deadline {
        let ok = runtime.block_on(async {
            reqwest::get(format!("{base}/healthz"))
                .await
                .map(|r| r.status().is_success())
                .unwrap_or(false)
        });
        if ok {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn the_demo_seeds_reuses_and_resets_on_postgresql() {
    let Some(admin_url) =
        store::testing::postgres_or_skip("the_demo_seeds_reuses_and_resets_on_postgresql")
    else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let database = runtime
        .block_on(store::testing::TempDatabase::postgres(&admin_url))
        .unwrap();
    let first = run_ok(&["demo", "--database-url", &database.url, "--no-serve"]);
    assert!(first.contains("Seeded the demo database"), "{first}");
    let second = run_ok(&["demo", "--database-url", &database.url, "--no-serve"]);
    assert!(second.contains("Reusing"), "{second}");
    let reset = run_ok(&[
        "demo",
        "--database-url",
        &database.url,
        "--no-serve",
        "--reset",
    ]);
    assert!(reset.contains("Seeded"), "{reset}");
    let users = run_ok(&["user", "list", "--database-url", &database.url]);
    assert_eq!(users.matches("demo.").count(), 4, "{users}");
}
