//! Byte sizes on the command line: `4096`, `100MB`, `512MiB`, `1.5GiB`.

/// Parses a byte count with an optional decimal (`kB`, `MB`, `GB`, `TB`)
/// or binary (`KiB`, `MiB`, `GiB`, `TiB`) suffix; units are case-insensitive
/// and a bare `B` or `K`/`M`/`G`/`T` is accepted (the latter as binary).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let invalid = || format!("invalid size '{text}': expected e.g. 4096, 100MB, 512MiB or 1GiB");
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let multiplier = unit_multiplier(unit.trim()).ok_or_else(invalid)?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let whole: u128 = whole.parse().map_err(|_| invalid())?;
    let scale = 10u128.pow(fraction.len() as u32);
    let fraction: u128 =
        if fraction.is_empty() { 0 } else { fraction.parse().map_err(|_| invalid())? };
    let bytes = whole
        .checked_mul(multiplier)
        .and_then(|w| w.checked_add(fraction * multiplier / scale))
        .ok_or_else(invalid)?;
    u64::try_from(bytes).map_err(|_| format!("size '{text}' is too large"))
}

fn unit_multiplier(unit: &str) -> Option<u128> {
    const K: u128 = 1024;
    Some(match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "k" | "kib" => K,
        "m" | "mib" => K * K,
        "g" | "gib" => K * K * K,
        "t" | "tib" => K * K * K * K,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn parses_plain_decimal_and_binary_sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("1.5gib"), Ok(3 << 29));
        assert_eq!(parse_size("16M"), Ok(16 << 20));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "GiB", "1XB", "1.2.3MB", "-1", "1e9", "99999999999TiB"] {
            assert!(parse_size(bad).is_err(), "{bad:?} accepted");
        }
    }
}
