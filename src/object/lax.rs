//! LEB128 numbers and strings read as LLVM's object reader reads them (WasmObjectFile.cpp:
//! `readULEB128`, `readVaruint32`, `readLEB128`, `readVarint32`, `readString`), for the parts
//! of an object the linker reads itself: the section headers, the code section's count, the
//! data section, and the `linking`, `reloc.*`, `target_features`, `producers` and `name`
//! sections. LLVM takes a LEB of any length (padding bytes `0x80` ... included) as long as its
//! value fits, where the core spec (and wasmparser) stop at 5 bytes for a 32-bit value; wasm-ld
//! links such objects, so the linker does too. Errors use LLVM's words, with the offset.

use crate::err;
use crate::error::{Error, Result};
use wasmparser::BinaryReader;

fn fail(what: &str, at: u64, message: &str) -> Error {
    err!("{what}: {message}").context(format!("at 0x{at:x}"))
}

/// An unsigned LEB128 of any length whose value fits in 64 bits (`decodeULEB128`).
pub(super) fn u64(r: &mut BinaryReader, what: &str) -> Result<u64> {
    let at = r.original_position();
    let mut value = 0u64;
    let mut shift = 0u32;
    loop {
        let Ok(byte) = r.read_u8() else {
            return Err(fail(what, at, "malformed uleb128, extends past end"));
        };
        let slice = u64::from(byte & 0x7f);
        if (shift == 63 && slice > 1) || (shift > 63 && slice != 0) {
            return Err(fail(what, at, "uleb128 too big for uint64"));
        }
        if shift < 64 {
            value |= slice << shift;
        }
        shift = shift.saturating_add(7);
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
}

/// An unsigned LEB128 of any length whose value fits in 32 bits (`readVaruint32`).
pub(super) fn u32(r: &mut BinaryReader, what: &str) -> Result<u32> {
    let at = r.original_position();
    let v = u64(r, what)?;
    u32::try_from(v).map_err(|_| fail(what, at, "LEB is outside Varuint32 range"))
}

/// A signed LEB128 of any length whose value fits in 64 bits (`decodeSLEB128`).
pub(super) fn i64(r: &mut BinaryReader, what: &str) -> Result<i64> {
    let at = r.original_position();
    let mut value = 0i64;
    let mut shift = 0u32;
    loop {
        let Ok(byte) = r.read_u8() else {
            return Err(fail(what, at, "malformed sleb128, extends past end"));
        };
        let slice = i64::from(byte & 0x7f);
        let sign_fill = if value < 0 { 0x7f } else { 0 };
        if (shift >= 64 && slice != sign_fill) || (shift == 63 && slice != 0 && slice != 0x7f) {
            return Err(fail(what, at, "sleb128 too big for int64"));
        }
        if shift < 64 {
            value |= slice << shift;
        }
        shift = shift.saturating_add(7);
        if byte & 0x80 == 0 {
            if shift < 64 && byte & 0x40 != 0 {
                value |= -1i64 << shift;
            }
            return Ok(value);
        }
    }
}

/// A signed LEB128 of any length whose value fits in 32 bits (`readVarint32`).
pub(super) fn i32(r: &mut BinaryReader, what: &str) -> Result<i32> {
    let at = r.original_position();
    let v = i64(r, what)?;
    i32::try_from(v).map_err(|_| fail(what, at, "LEB is outside Varint32 range"))
}

/// A length-prefixed byte string (`readString`: the length a `readVaruint32`).
pub(super) fn bytes<'data>(r: &mut BinaryReader<'data>, what: &str) -> Result<&'data [u8]> {
    let at = r.original_position();
    let len = u32(r, what)? as usize;
    if len > r.bytes_remaining() {
        return Err(fail(what, at, "EOF while reading string"));
    }
    r.read_bytes(len).map_err(|e| fail(what, at, e.message()))
}

/// A length-prefixed string that must be UTF-8 (names: LLVM takes their bytes, but the linker
/// holds them as strings, as the tool conventions and wasm's own names are).
pub(super) fn string<'data>(r: &mut BinaryReader<'data>, what: &str) -> Result<&'data str> {
    let at = r.original_position();
    let b = bytes(r, what)?;
    std::str::from_utf8(b).map_err(|_| fail(what, at, "malformed UTF-8 encoding"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(b: &[u8]) -> BinaryReader<'_> {
        BinaryReader::new(b, 0x10)
    }

    #[test]
    fn unsigned_lebs_take_any_padding_and_refuse_what_does_not_fit() {
        let read = |b: &[u8]| u32(&mut reader(b), "n").map_err(|e| e.to_string());
        assert_eq!(read(&[0x05]), Ok(5));
        assert_eq!(read(&[0x85, 0x80, 0x80, 0x80, 0x00]), Ok(5));
        // Eleven bytes, beyond the core spec's five: LLVM's reader takes it.
        let mut padded = vec![0x85];
        padded.extend([0x80; 9]);
        padded.push(0x00);
        assert_eq!(read(&padded), Ok(5));
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok(u32::MAX));
        let e = read(&[0x80, 0x80, 0x80, 0x80, 0x10]).unwrap_err();
        assert!(
            e.contains("outside Varuint32 range") && e.contains("0x10"),
            "{e}"
        );
        let e = read(&[0x80, 0x80]).unwrap_err();
        assert!(e.contains("extends past end"), "{e}");
        let mut huge = vec![0x80; 9];
        huge.push(0x02);
        let e = u64(&mut reader(&huge), "n").unwrap_err().to_string();
        assert!(e.contains("too big for uint64"), "{e}");
        huge[9] = 0x01;
        assert_eq!(u64(&mut reader(&huge), "n").ok(), Some(1 << 63));
    }

    #[test]
    fn signed_lebs_sign_extend_and_take_any_padding() {
        let read = |b: &[u8]| i64(&mut reader(b), "a").map_err(|e| e.to_string());
        assert_eq!(read(&[0x7f]), Ok(-1));
        assert_eq!(read(&[0xff, 0x7f]), Ok(-1));
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), Ok(-1));
        assert_eq!(read(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        assert_eq!(read(&[0x3f]), Ok(63));
        let e = i32(&mut reader(&[0x80, 0x80, 0x80, 0x80, 0x08]), "a").unwrap_err();
        assert!(e.to_string().contains("outside Varint32 range"), "{e}");
        assert_eq!(
            i32(&mut reader(&[0x80, 0x80, 0x80, 0x80, 0x78]), "a").ok(),
            Some(i32::MIN)
        );
    }

    #[test]
    fn strings_are_length_prefixed_utf8() {
        assert_eq!(
            string(&mut reader(&[0x82, 0x80, 0x00, b'h', b'i']), "s").ok(),
            Some("hi")
        );
        let e = string(&mut reader(&[2, 0xff, b'i']), "s").unwrap_err();
        assert!(e.to_string().contains("malformed UTF-8"), "{e}");
        let e = string(&mut reader(&[3, b'h', b'i']), "s").unwrap_err();
        assert!(e.to_string().contains("EOF while reading string"), "{e}");
    }
}
