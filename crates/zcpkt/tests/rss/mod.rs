//! Peak resident memory of a test: shared by the RSS tests (Linux only:
//! the peak is `VmHWM`, reset through `/proc/self/clear_refs`). Each RSS
//! test is one test in its own binary, so that no other test's memory
//! counts.

use std::path::PathBuf;

/// A file in the temporary directory, removed on drop.
pub struct TempFile(pub PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A field of `/proc/self/status`, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let line = status.lines().find(|l| l.starts_with(field)).expect(field);
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect(field)
}

/// Runs `f`, returning how far the peak resident set rose above the
/// resident set before it (KiB), or `None` if the peak cannot be reset.
pub fn peak_rise(f: impl FnOnce()) -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    let before = status_kib("VmRSS:");
    f();
    Some(status_kib("VmHWM:").saturating_sub(before))
}
