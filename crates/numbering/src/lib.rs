//! The part of reading a phone number that runs once per number, built for
//! speed (opt-level 3, see the workspace's Cargo.toml) while everything else
//! is built for size: digits in either script, and the national number.

/// Longest input looked at; a phone number typed with generous spacing fits.
pub const MAX_INPUT_CHARS: usize = 40;

/// The value of an ASCII digit or a Bengali digit (০–৯, U+09E6–U+09EF).
/// Other scripts' digits (Arabic-Indic, full-width, …) are not accepted: they are
/// look-alikes that a Bangladeshi keyboard does not produce.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{09E6}'..='\u{09EF}' => Some((c as u32 - 0x09E6) as u8),
        _ => None,
    }
}

/// The digits of a phone-like input, as ASCII on the stack (no allocation:
/// this runs once per number on the fast paths), and whether it began with `+`.
pub struct Digits {
    buf: [u8; MAX_INPUT_CHARS],
    len: usize,
    pub plus: bool,
}

impl Digits {
    pub fn as_str(&self) -> &str {
        self.buf
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

/// The digits of a phone-like input; `None` if it holds anything but digits
/// and separators, or is longer than [`MAX_INPUT_CHARS`]. A `+` may only
/// come first (after spaces or tabs), once. One pass over the bytes, ASCII
/// the fast way: this runs once per number on the fast paths.
pub fn digits_of(input: &str) -> Option<Digits> {
    let bytes = input.as_bytes();
    if bytes.len() > MAX_INPUT_CHARS * 4 {
        return None;
    }
    let mut out = Digits {
        buf: [0; MAX_INPUT_CHARS],
        len: 0,
        plus: false,
    };
    let mut chars = 0;
    let mut started = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        chars += 1;
        if chars > MAX_INPUT_CHARS {
            return None;
        }
        let digit = match b {
            b'0'..=b'9' => Some(b),
            b' ' | b'\t' => None,
            b'-' | b'.' | b'(' | b')' => None,
            b'+' if !started => {
                out.plus = true;
                None
            }
            0x80.. => {
                let c = input.get(i..)?.chars().next()?;
                i += c.len_utf8() - 1;
                Some(b'0' + digit_value(c)?)
            }
            _ => return None,
        };
        if b != b' ' && b != b'\t' {
            started = true;
        }
        if let Some(d) = digit {
            *out.buf.get_mut(out.len)? = d;
            out.len += 1;
        }
        i += 1;
    }
    Some(out)
}

/// The national number (`01XXXXXXXXX`, ASCII) inside the digits, country code removed.
pub fn national(digits: &Digits) -> Option<[u8; 11]> {
    let all = digits.as_str();
    let rest = all
        .strip_prefix("00880")
        .or_else(|| all.strip_prefix("880"));
    let mut out = [b'0'; 11];
    match rest {
        Some(rest) if rest.len() == 10 && rest.starts_with('1') => {
            out.get_mut(1..)?.copy_from_slice(rest.as_bytes());
        }
        Some(_) => return None,
        None if !digits.plus && all.len() == 11 && all.starts_with("01") => {
            out.copy_from_slice(all.as_bytes());
        }
        None => return None,
    }
    Some(out)
}
