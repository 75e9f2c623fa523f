//! Where an emoticon goes into the composer's text: at the caret, over the selection, with
//! offsets in UTF-16 units as the browser counts them. Pure, so it is tested natively.

/// `value` with `inserted` in place of the selection `start..end` (UTF-16 offsets, as the
/// browser counts them; none means the end), and the caret just after the insertion.
pub fn insert_at_caret(
    value: &str,
    start: Option<u32>,
    end: Option<u32>,
    inserted: &str,
) -> (String, u32) {
    let utf16: Vec<u16> = value.encode_utf16().collect();
    let len = utf16.len();
    let start = start.map_or(len, |s| s as usize).min(len);
    let end = end.map_or(start, |e| e as usize).clamp(start, len);
    let before = String::from_utf16_lossy(&utf16[..start]);
    let after = String::from_utf16_lossy(&utf16[end..]);
    let caret = start + inserted.encode_utf16().count();
    (
        format!("{before}{inserted}{after}"),
        u32::try_from(caret).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::insert_at_caret;

    #[test]
    fn test_an_emoticon_goes_in_at_the_caret_counted_as_the_browser_counts() {
        // "😀" is two UTF-16 units: the caret after it is at 3, not 2.
        assert_eq!(
            insert_at_caret("a😀b", Some(3), Some(3), "[微笑]"),
            ("a😀[微笑]b".to_owned(), 7)
        );
    }

    #[test]
    fn test_an_emoticon_replaces_the_selection_and_out_of_range_offsets_mean_the_end() {
        assert_eq!(
            insert_at_caret("你好世界", Some(1), Some(3), "[爱心]"),
            ("你[爱心]界".to_owned(), 5)
        );
        assert_eq!(
            insert_at_caret("hi", None, None, "[OK]"),
            ("hi[OK]".to_owned(), 6)
        );
        assert_eq!(
            insert_at_caret("hi", Some(9), Some(1), "[OK]"),
            ("hi[OK]".to_owned(), 6)
        );
    }
}
