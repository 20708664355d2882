//! The part of reading a phone number that runs once per number, built for
//! speed (opt-level 3, see the workspace's Cargo.toml) while everything else
//! is built for size: digits in either script, and the national number.

#![no_std]

/// Longest input looked at; a phone number typed with generous spacing fits.
pub const MAX_INPUT_CHARS: usize = 40;

/// The value of an ASCII digit or a Bengali digit (০–৯, U+09E6–U+09EF).
/// Other scripts' digits (Arabic-Indic, full-width, …) are not accepted: they are
/// look-alikes that a Bangladeshi keyboard does not produce.
pub fn digit_value(c: char) -> Option<u8> {
    match kind(u32::from(c)) {
        Kind::Digit(d) => Some(d),
        _ => None,
    }
}

/// What a character (or a UTF-16 code unit) is to the phone readers below:
/// the one table of what a number may hold.
enum Kind {
    /// An ASCII or Bengali digit, and its value.
    Digit(u8),
    /// A space or a tab: anywhere, and before a leading `+`.
    Blank,
    /// A dash, dot or bracket: anywhere after the start.
    Separator,
    /// `+`: only first (after blanks), once.
    Plus,
    /// Anything else refuses the input.
    Other,
}

fn kind(p: u32) -> Kind {
    match p {
        0x30..=0x39 => Kind::Digit((p - 0x30) as u8),
        0x09E6..=0x09EF => Kind::Digit((p - 0x09E6) as u8),
        0x20 | 0x09 => Kind::Blank,
        0x2D | 0x2E | 0x28 | 0x29 => Kind::Separator,
        0x2B => Kind::Plus,
        _ => Kind::Other,
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
    /// The digits, ASCII: what the readers below look at, with no UTF-8
    /// check (`from_utf8`) on the way.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// The digits of a phone-like input; `None` if it holds anything but digits
/// and separators, or is longer than [`MAX_INPUT_CHARS`]. A `+` may only
/// come first (after spaces or tabs), once. One pass, no allocation: this
/// runs once per number on the fast paths.
pub fn digits_of(input: &str) -> Option<Digits> {
    if input.len() > MAX_INPUT_CHARS * 4 {
        return None;
    }
    read_digits(input.chars().map(u32::from))
}

/// [`digits_of`] over UTF-16 code units, as a JS string holds them (written
/// into the wasm's memory without encoding them to UTF-8 first). A lone
/// surrogate is no digit, so such an input is refused, as its text would be.
pub fn digits_of_units(units: &[u16]) -> Option<Digits> {
    if units.len() > MAX_INPUT_CHARS {
        return None;
    }
    read_digits(units.iter().map(|&u| u32::from(u)))
}

/// `national(&digits_of_units(units)?)` as one integer, its last nine
/// digits (`01` before them, zero-padded, is the number): what the per-number
/// fast path needs, in one pass with no buffer. The digits are folded into
/// an integer as they come, and the three shapes of a national mobile number
/// are ranges of it: 11 digits `01…` (not after a `+`), 13 digits `8801…`,
/// 15 digits `008801…`. More than 15 digits is no number, so the pass
/// stops there.
pub fn last_nine_of_units(units: &[u16]) -> Option<u32> {
    const SHORT: core::ops::Range<u64> = 1_000_000_000..2_000_000_000;
    const LONG: core::ops::Range<u64> = 8_801_000_000_000..8_802_000_000_000;
    if units.len() > MAX_INPUT_CHARS {
        return None;
    }
    let (mut value, mut count) = (0u64, 0u32);
    let (mut plus, mut started) = (false, false);
    for &u in units {
        let digit = match kind(u32::from(u)) {
            Kind::Digit(d) => d,
            Kind::Blank => continue,
            Kind::Separator => {
                started = true;
                continue;
            }
            Kind::Plus if !started => {
                (plus, started) = (true, true);
                continue;
            }
            Kind::Plus | Kind::Other => return None,
        };
        started = true;
        count += 1;
        if count > 15 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    let rest = match count {
        11 if !plus && SHORT.contains(&value) => value - SHORT.start,
        13 | 15 if LONG.contains(&value) => value - LONG.start,
        _ => return None,
    };
    u32::try_from(rest).ok()
}

fn read_digits(points: impl Iterator<Item = u32>) -> Option<Digits> {
    let mut out = Digits {
        buf: [0; MAX_INPUT_CHARS],
        len: 0,
        plus: false,
    };
    let mut started = false;
    for (count, p) in points.enumerate() {
        if count >= MAX_INPUT_CHARS {
            return None;
        }
        match kind(p) {
            Kind::Digit(d) => {
                *out.buf.get_mut(out.len)? = b'0' + d;
                out.len += 1;
            }
            Kind::Blank => continue,
            Kind::Separator => {}
            Kind::Plus if !started => out.plus = true,
            Kind::Plus | Kind::Other => return None,
        }
        started = true;
    }
    Some(out)
}

/// The national number (`01XXXXXXXXX`, ASCII) inside the digits, country code
/// removed. Read as bytes: the digits are ASCII already, and checking them
/// again as UTF-8 (`as_str`) cost a call per number.
pub fn national(digits: &Digits) -> Option<[u8; 11]> {
    let all = digits.as_bytes();
    let rest = all
        .strip_prefix(b"00880")
        .or_else(|| all.strip_prefix(b"880"));
    // The digits copied by a loop, not `copy_from_slice`, whose length
    // check is a panic (and its message) in the wasm.
    let (from, digits_in) = match rest {
        Some(rest) if rest.len() == 10 && rest.starts_with(b"1") => (1, rest),
        Some(_) => return None,
        None if !digits.plus && all.len() == 11 && all.starts_with(b"01") => (0, all),
        None => return None,
    };
    let mut out = [b'0'; 11];
    for (o, &d) in out.iter_mut().skip(from).zip(digits_in) {
        *o = d;
    }
    Some(out)
}

/// A national number's last nine digits (everything after its `0`, `1`) as
/// one integer: what the fast paths carry instead of text.
pub fn last_nine(national: &[u8; 11]) -> u32 {
    national
        .iter()
        .skip(2)
        .fold(0, |acc, &b| acc * 10 + u32::from(b.wrapping_sub(b'0') % 10))
}
