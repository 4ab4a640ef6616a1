//! LEB128, the one implementation for the linker and its tooling: minimal forms (what a linker
//! writes for counts and sizes), the padded fixed-width forms that relocation sites keep (5
//! bytes for 32-bit values, 10 for 64-bit; Linking.md pads every relocatable LEB so that a
//! linker can patch it in place), and readers of both signs.

/// Appends `v` as a minimal unsigned LEB128.
pub fn write_u32(out: &mut Vec<u8>, v: u32) {
    write_u64(out, v as u64)
}

/// Appends `v` as a minimal unsigned LEB128.
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

/// Appends `v` as a minimal signed LEB128.
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

/// Writes `v` as an unsigned LEB of exactly `width` bytes into `buf` (the low `7 * width` bits
/// of `v`; `width` may exceed the minimal length: the padded, overlong form).
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

/// Appends `v` as an unsigned LEB of exactly `width` bytes.
pub fn write_uleb_padded(out: &mut Vec<u8>, v: u64, width: usize) {
    let at = out.len();
    out.resize(at + width, 0);
    patch_uleb(&mut out[at..], v, width);
}

/// Appends `v` as a signed LEB of exactly `width` bytes.
pub fn write_sleb_padded(out: &mut Vec<u8>, v: i64, width: usize) {
    let at = out.len();
    out.resize(at + width, 0);
    patch_sleb(&mut out[at..], v, width);
}

/// The length of the minimal unsigned LEB128 of `v`.
pub fn size_u32(v: u32) -> usize {
    let mut n = 1;
    let mut v = v >> 7;
    while v != 0 {
        n += 1;
        v >>= 7;
    }
    n
}

/// Reads an unsigned LEB128 (at most 10 bytes) at `buf[at..]`: its value and its length, or
/// None when it is truncated or longer than 10 bytes. Bits past 64 are dropped.
pub fn read_u64(buf: &[u8], at: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for i in 0..10 {
        let byte = *buf.get(at.checked_add(i)?)?;
        v |= ((byte & 0x7f) as u64).wrapping_shl(7 * i as u32);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Reads a signed LEB128 (at most 10 bytes) at `buf[at..]`: its value, sign-extended from
/// the last byte's bit 6, and its length, or None when it is truncated or longer than 10
/// bytes. Bits past 64 are dropped.
pub fn read_i64(buf: &[u8], at: usize) -> Option<(i64, usize)> {
    let mut v = 0i64;
    for i in 0..10 {
        let byte = *buf.get(at.checked_add(i)?)?;
        v |= ((byte & 0x7f) as i64).wrapping_shl(7 * i as u32);
        if byte & 0x80 == 0 {
            let bits = 7 * (i as u32 + 1);
            if bits < 64 && byte & 0x40 != 0 {
                v |= -1i64 << bits;
            }
            return Some((v, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_forms_match_llvm() {
        // `i32.const 65536` as LLVM writes it at a relocation site: 41 80 80 84 80 00.
        let mut b = [0u8; 5];
        patch_sleb(&mut b, 65536, 5);
        assert_eq!(b, [0x80, 0x80, 0x84, 0x80, 0x00]);
        patch_uleb(&mut b, 1, 5);
        assert_eq!(b, [0x81, 0x80, 0x80, 0x80, 0x00]);
        patch_sleb(&mut b, -1, 5);
        assert_eq!(b, [0xff, 0xff, 0xff, 0xff, 0x7f]);
        let mut v = vec![0xaa];
        write_uleb_padded(&mut v, 3, 3);
        write_sleb_padded(&mut v, -2, 2);
        assert_eq!(v, [0xaa, 0x83, 0x80, 0x00, 0xfe, 0x7f]);
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
        assert_eq!(size_u32(624485), 3);
        assert_eq!(size_u32(0), 1);
        assert_eq!(size_u32(u32::MAX), 5);
    }

    #[test]
    fn reads_what_it_writes() {
        for v in [0, 1, 127, 128, 624485, u32::MAX as u64, u64::MAX] {
            let mut b = vec![0xff];
            write_u64(&mut b, v);
            assert_eq!(read_u64(&b, 1), Some((v, b.len() - 1)));
            let mut p = Vec::new();
            write_uleb_padded(&mut p, v, 10);
            assert_eq!(read_u64(&p, 0), Some((v, 10)));
        }
        assert_eq!(read_u64(&[0x80, 0x80], 0), None, "truncated");
        assert_eq!(read_u64(&[0x80; 11], 0), None, "longer than 10 bytes");
    }

    #[test]
    fn reads_signed_what_it_writes() {
        for v in [
            0,
            1,
            -1,
            63,
            64,
            -64,
            -65,
            65536,
            i32::MIN as i64,
            i64::MAX,
            i64::MIN,
        ] {
            let mut b = vec![0xff];
            write_i64(&mut b, v);
            assert_eq!(read_i64(&b, 1), Some((v, b.len() - 1)), "{v}");
            let mut p = Vec::new();
            write_sleb_padded(&mut p, v, 10);
            assert_eq!(read_i64(&p, 0), Some((v, 10)), "{v} padded");
        }
        let mut p = Vec::new();
        write_sleb_padded(&mut p, -2, 5);
        assert_eq!(read_i64(&p, 0), Some((-2, 5)), "padded 32-bit form");
        assert_eq!(read_i64(&[0xff, 0xff], 0), None, "truncated");
        assert_eq!(read_i64(&[0xff; 11], 0), None, "longer than 10 bytes");
    }
}
