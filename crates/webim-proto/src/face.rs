//! The emoticons' names: webim.js 1.2's `EmotionPicDataIndex` (67 names, indices 1 to 67),
//! which this protocol's `TIMFaceElem` `Index` counts by. webim.js 1.7 numbered a table of
//! its own (35 names, from 0, two spelled differently) but draws a face by its `Data`, the
//! bracketed name; so a face is known by its name first, and the service writes each face
//! with this table's index (docs/protocol.md, "Faces").

/// The names, in index order: entry `i` has index `i + 1`.
pub const NAMES: [&str; 67] = [
    "[微笑]",
    "[撇嘴]",
    "[色]",
    "[发呆]",
    "[得意]",
    "[流泪]",
    "[害羞]",
    "[闭嘴]",
    "[睡]",
    "[大哭]",
    "[尴尬]",
    "[发怒]",
    "[调皮]",
    "[呲牙]",
    "[惊讶]",
    "[难过]",
    "[酷]",
    "[冷汗]",
    "[抓狂]",
    "[吐]",
    "[偷笑]",
    "[可爱]",
    "[白眼]",
    "[傲慢]",
    "[饥饿]",
    "[困]",
    "[惊恐]",
    "[流汗]",
    "[憨笑]",
    "[大兵]",
    "[奋斗]",
    "[咒骂]",
    "[疑问]",
    "[嘘]",
    "[晕]",
    "[折磨]",
    "[衰]",
    "[骷髅]",
    "[敲打]",
    "[再见]",
    "[擦汗]",
    "[抠鼻]",
    "[鼓掌]",
    "[糗大了]",
    "[坏笑]",
    "[左哼哼]",
    "[右哼哼]",
    "[哈欠]",
    "[鄙视]",
    "[委屈]",
    "[快哭了]",
    "[阴险]",
    "[亲亲]",
    "[吓]",
    "[可怜]",
    "[菜刀]",
    "[西瓜]",
    "[啤酒]",
    "[篮球]",
    "[乒乓]",
    "[咖啡]",
    "[饭]",
    "[猪头]",
    "[玫瑰]",
    "[凋谢]",
    "[示爱]",
    "[爱心]",
];

/// Names 1.7 spells differently, and the name here.
const ALIASES: [(&str, &str); 2] = [("[龇牙]", "[呲牙]"), ("[饿]", "[饥饿]")];

/// The index of a bracketed name (or of 1.7's spelling of one).
pub fn index_of(name: &str) -> Option<u32> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, ours)| ours);
    NAMES
        .iter()
        .position(|&n| n == name)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The name with this index.
pub fn name_of(index: u32) -> Option<&'static str> {
    let i = usize::try_from(index).ok()?.checked_sub(1)?;
    NAMES.get(i).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_and_1_7_spellings_find_their_index() {
        assert_eq!(index_of("[微笑]"), Some(1));
        assert_eq!(index_of("[爱心]"), Some(67));
        assert_eq!(index_of("[龇牙]"), index_of("[呲牙]"));
        assert_eq!(index_of("[饿]"), Some(25));
        assert_eq!(index_of("[nope]"), None);
        assert_eq!(name_of(15), Some("[惊讶]"));
        assert_eq!(name_of(0), None);
        assert_eq!(name_of(68), None);
    }
}
