//! What the release wasm is made of: each function's body size, by name and by crate, read
//! from the module's own sections (the code section, and the `name` section that a build
//! with `--keep-debug` keeps). twiggy cannot read current Rust output; this reads only
//! what it needs.

use std::collections::BTreeMap;

/// One function of the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Its name, demangled as wasm-bindgen leaves it, without the trailing hash.
    pub name: String,
    /// Its body's size in bytes.
    pub size: u64,
}

/// The parts of a module that take room.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Module {
    /// Every defined function (imports have no body).
    pub functions: Vec<Function>,
    /// The data segments (string literals, tables of constants).
    pub data: u64,
    /// Everything else (types, imports, exports, element and custom sections).
    pub other: u64,
}

/// A cursor over the module's bytes; every read says what was malformed.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| format!("the module ends early at byte {}", self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> Result<u64, String> {
        let (mut value, mut shift) = (0u64, 0u32);
        loop {
            let b = self.byte()?;
            if shift < 64 {
                value |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], String> {
        let end = usize::try_from(n)
            .ok()
            .and_then(|n| self.at.checked_add(n))
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| format!("a length of {n} runs past the module at byte {}", self.at))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.leb()?;
        Ok(String::from_utf8_lossy(self.take(len)?).into_owned())
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

/// Reads a wasm module's functions, data and the rest.
pub fn read(bytes: &[u8]) -> Result<Module, String> {
    if bytes.get(..4) != Some(b"\0asm") {
        return Err("not a wasm module".to_owned());
    }
    let mut reader = Reader { bytes, at: 8 };
    let mut module = Module::default();
    let (mut imported, mut bodies, mut names) = (0u64, Vec::new(), BTreeMap::new());
    while reader.at < bytes.len() {
        let id = reader.byte()?;
        let len = reader.leb()?;
        let payload = reader.take(len)?;
        let mut section = Reader {
            bytes: payload,
            at: 0,
        };
        match id {
            2 => imported = count_function_imports(&mut section)?,
            10 => {
                for _ in 0..section.leb()? {
                    let size = section.leb()?;
                    section.take(size)?;
                    bodies.push(size);
                }
            }
            11 => module.data += len,
            0 if section.name()? == "name" => names = function_names(&mut section)?,
            _ => module.other += len,
        }
    }
    module.functions = bodies
        .into_iter()
        .enumerate()
        .map(|(i, size)| {
            let index = imported + i as u64;
            let name = names
                .remove(&index)
                .map_or_else(|| format!("<function {index}>"), |n| without_hash(&n));
            Function { name, size }
        })
        .collect();
    Ok(module)
}

fn count_function_imports(section: &mut Reader<'_>) -> Result<u64, String> {
    let mut functions = 0;
    for _ in 0..section.leb()? {
        section.name()?;
        section.name()?;
        match section.byte()? {
            0 => {
                section.leb()?;
                functions += 1;
            }
            1 => {
                section.byte()?;
                section.limits()?;
            }
            2 => section.limits()?,
            3 => {
                section.byte()?;
                section.byte()?;
            }
            4 => {
                section.byte()?;
                section.leb()?;
            }
            kind => return Err(format!("an import of unknown kind {kind}")),
        }
    }
    Ok(functions)
}

fn function_names(section: &mut Reader<'_>) -> Result<BTreeMap<u64, String>, String> {
    let mut names = BTreeMap::new();
    while section.at < section.bytes.len() {
        let id = section.byte()?;
        let len = section.leb()?;
        let mut sub = Reader {
            bytes: section.take(len)?,
            at: 0,
        };
        if id == 1 {
            for _ in 0..sub.leb()? {
                let index = sub.leb()?;
                names.insert(index, sub.name()?);
            }
        }
    }
    Ok(names)
}

/// `core::fmt::write::h0123456789abcdef` → `core::fmt::write`, and `core[c5930c85a12de822]`
/// (the crate disambiguator of v0 mangling) → `core`.
fn without_hash(name: &str) -> String {
    let name = match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            head
        }
        _ => name,
    };
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|c| open + c);
        let hex = close.is_some_and(|c| {
            c > open + 1 && rest[open + 1..c].chars().all(|ch| ch.is_ascii_hexdigit())
        });
        match close {
            Some(c) if hex => {
                out.push_str(&rest[..open]);
                rest = &rest[c + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rust's primitive types: their impls count to the trait's crate.
const PRIMITIVES: [&str; 17] = [
    "bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16",
    "u32", "u64", "u128", "usize",
];

/// The crate a function is counted to: the first path segment of its name, looking inside
/// `<T as Trait>` at `T` (a serde impl of a protocol type is the protocol's). Names that are
/// not paths (wasm-bindgen's glue, the allocator's exports) are `[other]`.
pub fn crate_of(name: &str) -> String {
    let mut inner = name.trim_start_matches(['<', '&', '*', '(', '[']);
    if let Some((ty, trait_path)) = inner.split_once(" as ")
        && PRIMITIVES.contains(&ty.trim())
    {
        inner = trait_path;
    }
    let inner = inner
        .trim_start_matches("mut ")
        .trim_start_matches("const ")
        .trim_start_matches("dyn ");
    match inner.split_once("::") {
        Some((first, _))
            if !first.is_empty() && first.chars().all(|c| c.is_alphanumeric() || c == '_') =>
        {
            first.to_owned()
        }
        _ => "[other]".to_owned(),
    }
}

/// The functions' sizes summed per crate, largest first.
pub fn by_crate(functions: &[Function]) -> Vec<(String, u64, usize)> {
    let mut totals: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    for f in functions {
        let entry = totals.entry(crate_of(&f.name)).or_default();
        entry.0 += f.size;
        entry.1 += 1;
    }
    let mut rows: Vec<(String, u64, usize)> =
        totals.into_iter().map(|(c, (s, n))| (c, s, n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb(mut n: u64, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn section(id: u8, payload: &[u8], out: &mut Vec<u8>) {
        out.push(id);
        leb(payload.len() as u64, out);
        out.extend_from_slice(payload);
    }

    fn name(text: &str, out: &mut Vec<u8>) {
        leb(text.len() as u64, out);
        out.extend_from_slice(text.as_bytes());
    }

    /// A module with one imported function and two bodies (3 and 200 bytes), named.
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut imports = vec![1];
        name("env", &mut imports);
        name("f", &mut imports);
        imports.extend([0, 0]);
        section(2, &imports, &mut wasm);
        let mut code = vec![2];
        for size in [3u64, 200] {
            leb(size, &mut code);
            code.extend(std::iter::repeat_n(0u8, size as usize));
        }
        section(10, &code, &mut wasm);
        section(11, &[0; 5], &mut wasm);
        let mut names = Vec::new();
        name("name", &mut names);
        let mut sub = vec![2];
        leb(1, &mut sub);
        name(
            "webim_sdk::client::Client::send_msg::h0123456789abcdef",
            &mut sub,
        );
        leb(2, &mut sub);
        name(
            "<webim_proto::Msg as serde::Serialize>::serialize",
            &mut sub,
        );
        names.push(1);
        leb(sub.len() as u64, &mut names);
        names.extend(sub);
        section(0, &names, &mut wasm);
        wasm
    }

    #[test]
    fn test_bodies_are_named_after_the_imports_and_counted_by_crate() {
        let read = read(&module()).expect("a module");
        assert_eq!(
            read.functions,
            vec![
                Function {
                    name: "webim_sdk::client::Client::send_msg".to_owned(),
                    size: 3
                },
                Function {
                    name: "<webim_proto::Msg as serde::Serialize>::serialize".to_owned(),
                    size: 200
                },
            ]
        );
        assert_eq!(read.data, 5);
        assert_eq!(
            by_crate(&read.functions),
            vec![
                ("webim_proto".to_owned(), 200, 1),
                ("webim_sdk".to_owned(), 3, 1)
            ]
        );
    }

    #[test]
    fn test_a_broken_module_is_an_error_not_a_panic() {
        let whole = module();
        for cut in [0, 4, 9, 20, whole.len() - 3] {
            let _ = read(&whole[..cut]);
        }
        assert!(read(b"not wasm").is_err());
        assert!(read(&whole[..whole.len() - 3]).is_err());
        assert_eq!(crate_of("__wbindgen_malloc"), "[other]");
        assert_eq!(crate_of("core::fmt::write"), "core");
        assert_eq!(
            crate_of(&without_hash(
                "<f64 as core[c5930c85a12de822]::fmt::Display>::fmt"
            )),
            "core"
        );
        assert_eq!(
            without_hash("<dlmalloc[e24a27700634d609]::Dlmalloc<[u8]>>::malloc::h0123456789abcdef"),
            "<dlmalloc::Dlmalloc<[u8]>>::malloc"
        );
        assert_eq!(
            crate_of("<&mut serde_json::de::Deserializer<R>>::parse"),
            "serde_json"
        );
    }
}
