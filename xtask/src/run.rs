//! Running child programs: plain, captured, or streamed while counting test results.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::error::Error;

/// Runs `cmd` with inherited output; Ok only if it exits with success.
pub fn status(cmd: &mut Command, what: &str) -> Result<(), Error> {
    let status = cmd.status().map_err(|source| spawn_error(cmd, source))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::StepFailed(what.to_owned()))
    }
}

/// Runs `cmd` and returns its stdout if it exits with success; None if it cannot run or
/// fails (used to ask a tool for its version).
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Test counts read from a test runner's `test result:` lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
}

impl Tally {
    /// Adds another tally to this one.
    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }

    /// Reads `test result: ok. 3 passed; 0 failed; …` (libtest and wasm-bindgen-test).
    pub fn parse_line(line: &str) -> Option<Tally> {
        let rest = line.trim().strip_prefix("test result:")?;
        let count = |label: &str| -> u64 {
            rest.split(';')
                .filter_map(|part| {
                    part.trim()
                        .trim_start_matches("ok.")
                        .trim_start_matches("FAILED.")
                        .trim()
                        .strip_suffix(label)
                })
                .filter_map(|n| n.trim().parse::<u64>().ok())
                .sum()
        };
        Some(Tally {
            passed: count("passed"),
            failed: count("failed"),
        })
    }
}

/// Runs a test command, echoing its stdout while adding up its `test result:` lines.
/// The tally is returned even when the command fails, with the failure.
pub fn tests(cmd: &mut Command, what: &str) -> (Tally, Result<(), Error>) {
    let mut tally = Tally::default();
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(source) => return (tally, Err(spawn_error(cmd, source))),
    };
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(t) = Tally::parse_line(&line) {
                tally.add(t);
            }
        }
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (
        tally,
        if ok {
            Ok(())
        } else {
            Err(Error::StepFailed(what.to_owned()))
        },
    )
}

fn spawn_error(cmd: &Command, source: std::io::Error) -> Error {
    Error::Spawn {
        program: cmd.get_program().to_string_lossy().into_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_reads_libtest_and_wasm_bindgen_test_result_lines() {
        let ok = "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            Tally::parse_line(ok),
            Some(Tally {
                passed: 12,
                failed: 0
            })
        );
        let bad = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(
            Tally::parse_line(bad),
            Some(Tally {
                passed: 3,
                failed: 2
            })
        );
        assert_eq!(Tally::parse_line("running 3 tests"), None);
    }
}
