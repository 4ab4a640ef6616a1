//! LEB128 encoding: minimal forms for everything the linker writes, and the padded
//! fixed-width forms that relocation sites keep (5 bytes for 32-bit, 10 for 64-bit;
//! Linking.md "relocation sites are padded").

pub fn write_u32(out: &mut Vec<u8>, v: u32) {
    write_u64(out, v as u64)
}

pub fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub fn write_i64(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Writes `v` as an unsigned LEB of exactly `width` bytes into `buf`.
pub fn patch_uleb(buf: &mut [u8], mut v: u64, width: usize) {
    for (i, b) in buf.iter_mut().enumerate().take(width) {
        let mut byte = (v & 0x7f) as u8;
        v >>= 7;
        if i + 1 < width {
            byte |= 0x80;
        }
        *b = byte;
    }
}

/// Writes `v` as a signed LEB of exactly `width` bytes into `buf`.
pub fn patch_sleb(buf: &mut [u8], mut v: i64, width: usize) {
    for (i, b) in buf.iter_mut().enumerate().take(width) {
        let mut byte = (v & 0x7f) as u8;
        v >>= 7;
        if i + 1 < width {
            byte |= 0x80;
        }
        *b = byte;
    }
}

pub fn size_u32(v: u32) -> usize {
    let mut n = 1;
    let mut v = v >> 7;
    while v != 0 {
        n += 1;
        v >>= 7;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_forms_match_the_rules_example() {
        // A relocated `i32.const 65536` is written as a 5-byte padded SLEB, as lld's
        // `InputChunk::relocate` writes it: 41 80 80 84 80 00.
        let mut b = [0u8; 5];
        patch_sleb(&mut b, 65536, 5);
        assert_eq!(b, [0x80, 0x80, 0x84, 0x80, 0x00]);
        patch_uleb(&mut b, 1, 5);
        assert_eq!(b, [0x81, 0x80, 0x80, 0x80, 0x00]);
        patch_sleb(&mut b, -1, 5);
        assert_eq!(b, [0xff, 0xff, 0xff, 0xff, 0x7f]);
    }

    #[test]
    fn minimal_forms() {
        let mut v = Vec::new();
        write_i64(&mut v, 65536);
        assert_eq!(v, [0x80, 0x80, 0x04]);
        v.clear();
        write_i64(&mut v, -1);
        assert_eq!(v, [0x7f]);
        v.clear();
        write_u32(&mut v, 624485);
        assert_eq!(v, [0xe5, 0x8e, 0x26]);
    }
}
