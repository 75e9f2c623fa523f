//! `webim.Tool`: helpers the seed exposes to pages (docs/sdk.md, "Tool"). Here in the SDK
//! because the composer's limits (12000-byte messages, 120-byte wordings) and the chat's
//! times are SDK rules.

use webim_proto::Timestamp;

/// webim.js `webim.Tool`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tool;

/// webim.js `formatTimeStamp`'s default format.
pub const DEFAULT_TIME_FORMAT: &str = "yyyy-MM-dd hh:mm:ss";

impl Tool {
    /// webim.js `Tool.getStrBytes(str)`: the true UTF-8 length of `s` in bytes.
    ///
    /// webim.js 1.2's regex counted spaces and some ASCII as 3 bytes; that bug is not copied
    /// (docs/sdk.md).
    pub fn get_str_bytes(s: &str) -> usize {
        s.len()
    }

    /// webim.js `Tool.formatTimeStamp(time, format)`: `time` (seconds) as local time in
    /// `format` (default `yyyy-MM-dd hh:mm:ss`). `utc_offset_minutes` is the local zone's
    /// offset east of UTC (the page passes the browser's; the SDK reads no clock or zone).
    ///
    /// Tokens: `y` year (as many last digits as letters; five or more give the whole year),
    /// `M` month, `d` day, `h` hour (24-hour), `m` minute, `s` second. One letter gives the
    /// number unpadded, two or more give two digits. Every run is replaced (webim.js only
    /// replaced the first of each kind); other characters are kept. Time 0 gives `"0"`, as
    /// in webim.js.
    pub fn format_time_stamp(
        time: Timestamp,
        format: Option<&str>,
        utc_offset_minutes: i32,
    ) -> String {
        if time.0 == 0 {
            return "0".to_owned();
        }
        let local = i64::try_from(time.0).unwrap_or(i64::MAX) + i64::from(utc_offset_minutes) * 60;
        let parts = CivilTime::from_unix(local);
        let format = format.unwrap_or(DEFAULT_TIME_FORMAT);
        let mut out = String::with_capacity(format.len() + 4);
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let run = chars[i..].iter().take_while(|&&x| x == c).count();
            match parts.field(c) {
                Some(value) if c == 'y' => {
                    let year = value.to_string();
                    let keep = if run >= 5 {
                        year.len()
                    } else {
                        run.min(year.len())
                    };
                    out.push_str(&year[year.len() - keep..]);
                }
                Some(value) if run == 1 => out.push_str(&value.to_string()),
                Some(value) => out.push_str(&format!("{:02}", value % 100)),
                None => out.extend(&chars[i..i + run]),
            }
            i += run;
        }
        out
    }

    /// webim.js `Tool.xssFilter(val)`: `<`, `>` and `"` as HTML entities (parity only: the
    /// app renders text as text and does not need it).
    pub fn xss_filter(val: &str) -> String {
        val.replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    /// webim.js `Tool.formatText2Html(text)`: `xss_filter`, then spaces as `&nbsp;` and
    /// newlines as `<br/>`.
    pub fn format_text2html(text: &str) -> String {
        Self::xss_filter(text)
            .replace(' ', "&nbsp;")
            .replace('\n', "<br/>")
    }

    /// webim.js `Tool.formatHtml2Text(html)`: the reverse of the last two steps above.
    pub fn format_html2text(html: &str) -> String {
        html.replace("&nbsp;", " ").replace("<br/>", "\n")
    }

    /// webim.js `Tool.trimStr(str)`.
    pub fn trim_str(s: &str) -> &str {
        s.trim()
    }

    /// webim.js `Tool.validNumber(str)`: one to eight digits.
    pub fn valid_number(s: &str) -> bool {
        (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    }
}

/// A Unix time broken into calendar fields (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CivilTime {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl CivilTime {
    fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    fn field(&self, token: char) -> Option<i64> {
        Some(match token {
            'y' => self.year,
            'M' => self.month,
            'd' => self.day,
            'h' => self.hour,
            'm' => self.minute,
            's' => self.second,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2016-03-05 07:08:09 UTC.
    const T: Timestamp = Timestamp(1_457_161_689);

    fn fmt(format: &str) -> String {
        Tool::format_time_stamp(T, Some(format), 0)
    }

    #[test]
    fn test_get_str_bytes_counts_true_utf8_bytes() {
        assert_eq!(Tool::get_str_bytes(""), 0);
        assert_eq!(Tool::get_str_bytes("hi there~"), 9);
        assert_eq!(Tool::get_str_bytes("七月流火"), 12);
        assert_eq!(Tool::get_str_bytes("😀"), 4);
    }

    #[test]
    fn test_format_time_stamp_default_format() {
        assert_eq!(Tool::format_time_stamp(T, None, 0), "2016-03-05 07:08:09");
    }

    #[test]
    fn test_format_time_stamp_every_token_padded_and_unpadded() {
        assert_eq!(fmt("yyyy"), "2016");
        assert_eq!(fmt("yyy"), "016");
        assert_eq!(fmt("yy"), "16");
        assert_eq!(fmt("y"), "6");
        assert_eq!(fmt("yyyyy"), "2016");
        assert_eq!(fmt("MM M"), "03 3");
        assert_eq!(fmt("dd d"), "05 5");
        assert_eq!(fmt("hh h"), "07 7");
        assert_eq!(fmt("mm m"), "08 8");
        assert_eq!(fmt("ss s"), "09 9");
        assert_eq!(fmt("MMM"), "03");
    }

    #[test]
    fn test_format_time_stamp_any_format_keeps_other_characters() {
        assert_eq!(fmt("hh:mm"), "07:08");
        assert_eq!(fmt("yyyy年M月d日 h点"), "2016年3月5日 7点");
        assert_eq!(fmt("M/d M/d"), "3/5 3/5", "every run is replaced");
        assert_eq!(fmt("[x]"), "[x]");
    }

    #[test]
    fn test_format_time_stamp_uses_24_hours_and_the_local_offset() {
        // 23:30 UTC on 2015-12-31 is 07:30 on 2016-01-01 in UTC+8 (Beijing).
        let t = Timestamp(1_451_604_600);
        assert_eq!(Tool::format_time_stamp(t, None, 0), "2015-12-31 23:30:00");
        assert_eq!(
            Tool::format_time_stamp(t, None, 8 * 60),
            "2016-01-01 07:30:00"
        );
        assert_eq!(Tool::format_time_stamp(t, Some("h"), 0), "23");
    }

    #[test]
    fn test_format_time_stamp_of_zero_is_zero() {
        assert_eq!(Tool::format_time_stamp(Timestamp(0), None, 0), "0");
    }

    #[test]
    fn test_parity_helpers() {
        assert_eq!(
            Tool::xss_filter(r#"<b a="1">&'"#),
            "&lt;b a=&quot;1&quot;&gt;&'"
        );
        assert_eq!(Tool::format_text2html("a b\nc"), "a&nbsp;b<br/>c");
        assert_eq!(Tool::format_html2text("a&nbsp;b<br/>c"), "a b\nc");
        assert_eq!(Tool::trim_str("  x "), "x");
        assert!(Tool::valid_number("12345678"));
        assert!(!Tool::valid_number("123456789"));
        assert!(!Tool::valid_number(""));
        assert!(!Tool::valid_number("12a"));
    }
}
