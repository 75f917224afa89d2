//! The `broadsheet` binary itself: exit codes, one-sentence errors, and the commands that
//! are not reachable over HTTP.

use std::path::Path;
use std::process::{Command, Output};

fn broadsheet(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("BROADSHEET_DATABASE_URL")
        .env("BROADSHEET_LOG", "error")
        .output()
        .expect("run broadsheet")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/archive")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn import_reports_each_bad_file_with_its_line_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let output = broadsheet(
        dir.path(),
        &["import", &fixture("bad/garbled_published.txt")],
    );
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("garbled_published.txt: line 10:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn import_a_directory_then_again() {
    let dir = tempfile::tempdir().unwrap();
    let first = broadsheet(dir.path(), &["import", &fixture("good")]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        out.contains("4 created, 0 updated, 0 unchanged, 0 failed"),
        "{out}"
    );
    let second = broadsheet(dir.path(), &["import", &fixture("good")]);
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        out.contains("0 created, 0 updated, 4 unchanged, 0 failed"),
        "{out}"
    );
}

#[test]
fn gen_writes_a_deterministic_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let output = broadsheet(dir.path(), &["gen", "--stories", "1200", "--seed", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Generated 1200 stories"));
    assert!(
        dir.path().join("broadsheet.db").exists(),
        "the data directory holds the SQLite store"
    );
}

#[test]
fn bad_arguments_are_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (&["serve", "--listen", "nowhere"][..], "listen is not valid"),
        (
            &["import", "/no/such/path"][..],
            "cannot read /no/such/path",
        ),
        (
            &["serve", "--database", "mysql://x"][..],
            "database_url is not valid",
        ),
    ] {
        let output = broadsheet(dir.path(), args);
        assert!(!output.status.success(), "{args:?}");
        let err = stderr(&output);
        assert!(
            err.starts_with("error: ") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn reindex_rebuilds_the_search_index_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let import = broadsheet(dir.path(), &["import", &fixture("good")]);
    assert!(import.status.success(), "{}", stderr(&import));
    std::fs::remove_dir_all(dir.path().join("search-index")).unwrap();
    let output = broadsheet(dir.path(), &["reindex"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.starts_with("Indexed 4 stories in "), "{out}");
    assert!(dir.path().join("search-index/meta.json").exists());
}

#[test]
fn a_bad_cache_size_in_the_environment_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--data-dir"])
        .arg(dir.path())
        .env("BROADSHEET_PAGE_CACHE_MB", "lots")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.starts_with("error: page_cache_mb is not valid: 'lots'"),
        "{err}"
    );
}

#[test]
fn accounts_are_made_and_promoted_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut add = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args([
            "user",
            "add",
            "--email",
            "Desk@Example.kr",
            "--role",
            "editor",
            "--password-stdin",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("BROADSHEET_DATABASE_URL")
        .env("BROADSHEET_LOG", "error")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long night shift passphrase\n")
        .unwrap();
    let output = add.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "account 1 created: desk@example.kr (editor)\n"
    );
    // Without --password-stdin a password is generated and shown once.
    let output = broadsheet(dir.path(), &["user", "add", "--email", "new@example.kr"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.starts_with("account 2 created: new@example.kr (reader)\npassword: "),
        "{out}"
    );
    let output = broadsheet(
        dir.path(),
        &["user", "set-role", "new@example.kr", "reporter"],
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "account 2 (new@example.kr) is now reporter\n"
    );
    let output = broadsheet(dir.path(), &["user", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "1\teditor\tdesk@example.kr\tDesk\n2\treporter\tnew@example.kr\tnew\n"
    );
    // Mistakes are one sentence each, and change nothing.
    let output = broadsheet(
        dir.path(),
        &["user", "set-role", "nobody@example.kr", "admin"],
    );
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output),
        "error: the account nobody@example.kr not found\n"
    );
    let output = broadsheet(dir.path(), &["user", "add", "--email", "desk@example.kr"]);
    assert_eq!(
        stderr(&output),
        "error: an account with the e-mail address desk@example.kr already exists\n"
    );
    let output = broadsheet(
        dir.path(),
        &["user", "set-role", "desk@example.kr", "owner"],
    );
    assert!(
        stderr(&output).contains("'owner' is not a role; use reader, reporter, editor or admin")
    );
}
