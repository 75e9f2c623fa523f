//! The emoticons: webim.js 1.2's `EmotionPicDataIndex` (67 names, indices 1 to 67,
//! docs/sdk.md, "Emoticons"), and the demo's rule for turning typed text into text and face
//! elements (docs/sdk.md, "Typed text to elements"). The artwork is the app's; the table
//! and the rule are SDK.

use crate::msg::{Elem, Face, Text};

/// webim.js `EmotionPicDataIndex`, in index order: entry `i` has index `i + 1`.
pub use webim_proto::face::NAMES as EMOTION_NAMES;

/// One entry of webim.js `EmotionPicDataIndex` (name → index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Emoticon {
    /// Its index, 1 to 67 (the wire's `Index`).
    pub index: u32,
    /// Its bracketed name, e.g. `[微笑]` (the wire's `Data`).
    pub name: &'static str,
}

impl Emoticon {
    /// The name without brackets, e.g. `微笑`: what a picker shows as its label (the demo
    /// used the bracketed key of `EmotionPicData`).
    pub fn label(&self) -> &'static str {
        self.name.trim_start_matches('[').trim_end_matches(']')
    }
}

/// Every entry of webim.js `EmotionPicDataIndex`, in index order (what the demo's picker
/// shows).
pub fn all() -> impl Iterator<Item = Emoticon> {
    EMOTION_NAMES
        .iter()
        .zip(1..)
        .map(|(&name, index)| Emoticon { index, name })
}

/// webim.js `EmotionPicDataIndex[name]`: the index of a bracketed name.
pub fn index_of(name: &str) -> Option<u32> {
    EMOTION_NAMES
        .iter()
        .position(|&n| n == name)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The entry of webim.js `EmotionPicDataIndex` with this index (the reverse lookup).
pub fn by_index(index: u32) -> Option<Emoticon> {
    let i = usize::try_from(index).ok()?.checked_sub(1)?;
    EMOTION_NAMES.get(i).map(|&name| Emoticon { index, name })
}

/// The webim.js demo's input parser (docs/sdk.md): a `[`, then 1 to 3 characters that are not
/// brackets, then `]` is a token; a known token becomes a face, an unknown one stays text;
/// the text between tokens becomes text elements. Adjacent texts are not merged.
///
/// `hi[微笑]x[abc]` → Text `hi`, Face(1, `[微笑]`), Text `x`, Text `[abc]`.
pub fn parse_text(input: &str) -> Vec<Elem> {
    let mut elems = Vec::new();
    let mut rest_start = 0;
    let mut search_from = 0;
    while let Some((start, end)) = next_token(input, search_from) {
        if start > rest_start {
            elems.push(Elem::Text(Text::new(&input[rest_start..start])));
        }
        let token = &input[start..end];
        elems.push(match index_of(token) {
            Some(index) => Elem::Face(Face::new(index, token)),
            None => Elem::Text(Text::new(token)),
        });
        rest_start = end;
        search_from = end;
    }
    if rest_start < input.len() {
        elems.push(Elem::Text(Text::new(&input[rest_start..])));
    }
    elems
}

/// The byte range of the first token at or after `from`.
fn next_token(input: &str, from: usize) -> Option<(usize, usize)> {
    let tail = input.get(from..)?;
    for (offset, c) in tail.char_indices() {
        if c != '[' {
            continue;
        }
        let start = from + offset;
        let mut inner = 0;
        for (i, c) in input[start + 1..].char_indices() {
            match c {
                ']' if inner > 0 => return Some((start, start + 1 + i + 1)),
                '[' | ']' => break,
                _ if inner == 3 => break,
                _ => inner += 1,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(elems: &[Elem]) -> Vec<String> {
        elems
            .iter()
            .map(|e| match e {
                Elem::Text(t) => format!("Text({})", t.text()),
                Elem::Face(f) => format!("Face({},{})", f.index(), f.data()),
                other => other.as_text().to_owned(),
            })
            .collect()
    }

    #[test]
    fn test_table_has_67_one_based_entries_in_webim_order() {
        assert_eq!(all().count(), 67);
        assert_eq!(index_of("[微笑]"), Some(1));
        assert_eq!(index_of("[惊讶]"), Some(15));
        assert_eq!(index_of("[呲牙]"), Some(14));
        assert_eq!(index_of("[爱心]"), Some(67));
        assert_eq!(
            index_of("[龇牙]"),
            None,
            "1.7's spelling is not in the 1.2 table"
        );
        assert_eq!(by_index(0), None);
        assert_eq!(by_index(68), None);
        assert_eq!(by_index(44).map(|e| e.label()), Some("糗大了"));
    }

    #[test]
    fn test_every_name_is_matched_by_the_demo_token_rule() {
        for e in all() {
            assert_eq!(
                describe(&parse_text(e.name)),
                [format!("Face({},{})", e.index, e.name)]
            );
        }
    }

    #[test]
    fn test_parses_hi_smile_x_abc_into_text_face_text_text() {
        let elems = parse_text("hi[微笑]x[abc]");
        assert_eq!(
            describe(&elems),
            ["Text(hi)", "Face(1,[微笑])", "Text(x)", "Text([abc])"]
        );
    }

    #[test]
    fn test_plain_text_is_one_element_and_empty_is_none() {
        assert_eq!(describe(&parse_text("hello")), ["Text(hello)"]);
        assert!(parse_text("").is_empty());
    }

    #[test]
    fn test_tokens_longer_than_three_or_nested_stay_text() {
        assert_eq!(describe(&parse_text("[abcd]")), ["Text([abcd])"]);
        assert_eq!(
            describe(&parse_text("[[微笑]")),
            ["Text([)", "Face(1,[微笑])"]
        );
        assert_eq!(describe(&parse_text("[]")), ["Text([])"]);
        assert_eq!(describe(&parse_text("a[")), ["Text(a[)"]);
        assert_eq!(
            describe(&parse_text("[微笑][爱心]!")),
            ["Face(1,[微笑])", "Face(67,[爱心])", "Text(!)"]
        );
    }
}
