//! The printable HTML reports (review minutes, exceedances, supply screening).

/// Escapes text for an HTML element body or a quoted attribute value.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
