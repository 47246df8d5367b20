//! Helpers shared by the integration tests (`mod support;`).

use proptest::test_runner::Config as ProptestConfig;

/// A proptest config running `cases` cases, unless `PROPTEST_CASES` is set
/// (CI and long local runs choose their own count).
pub fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}
