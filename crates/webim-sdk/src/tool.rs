//! `webim.Tool`: small helpers the seed exposes to pages. Here in the SDK because the
//! composer's length limits (12000-byte messages, 120-byte wordings) are SDK rules.

/// webim.js `webim.Tool`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tool;

impl Tool {
    /// webim.js `Tool.getStrBytes(str)`: the true UTF-8 length of `s` in bytes.
    ///
    /// webim.js 1.2's regex counted spaces and some ASCII as 3 bytes; that bug is not copied
    /// (contract §2).
    pub fn get_str_bytes(s: &str) -> usize {
        s.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_get_str_bytes_counts_true_utf8_bytes() {
        assert_eq!(Tool::get_str_bytes(""), 0);
        assert_eq!(Tool::get_str_bytes("hi there~"), 9);
        assert_eq!(Tool::get_str_bytes("七月流火"), 12);
        assert_eq!(Tool::get_str_bytes("😀"), 4);
    }
}
