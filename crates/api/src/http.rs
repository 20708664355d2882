//! Plain HTTP values: what a request builder returns and a response parser
//! takes. No sockets here; a transport executes an [`HttpRequest`].
//!
//! The bearer token travels beside the request as a [`Token`], never inside
//! its headers, so no `Debug` print or error can carry it; the transport adds
//! the `Authorization` header at the last moment.

use crate::prelude::*;

use bdpay_core::text::decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A bearer token. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(value: &str) -> Token {
        Token(value.to_owned())
    }

    /// The `Authorization` header value; only a transport should call this.
    pub fn header_value(&self) -> String {
        ["Bearer ", &self.0].concat()
    }

    /// Whether `text` contains the token (for scrubbing text that left a server).
    pub fn appears_in(&self, text: &str) -> bool {
        !self.0.is_empty() && text.contains(&self.0)
    }
}

impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Token(***)")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// Headers other than `Authorization`.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Sent as `Authorization: Bearer …` by the transport.
    pub token: Option<Token>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `Retry-After` in milliseconds, when given in seconds.
    pub fn retry_after_ms(&self) -> Option<u64> {
        let secs: u64 = self.header("retry-after")?.trim().parse().ok()?;
        Some(secs.saturating_mul(1000))
    }
}

/// Why a base URL is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// Not `http://` or `https://` followed by a host.
    Invalid,
    /// Plain http to a host other than loopback, with a token, and no opt-in.
    InsecureHttp,
}

/// A checked base URL such as `https://example.com` or `http://127.0.0.1:8080/`
/// (trailing slash removed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks `url`. Plain http is allowed for loopback hosts, or anywhere
    /// when no token will be sent (a proxy holds it) or when `allow_insecure_http`.
    ///
    /// ```
    /// use bdpay_api::http::{BaseUrl, UrlError};
    /// assert!(BaseUrl::parse("http://127.0.0.1:8080", true, false).is_ok());
    /// assert_eq!(BaseUrl::parse("http://flexiloadbd.net", true, false), Err(UrlError::InsecureHttp));
    /// assert!(BaseUrl::parse("https://flexiloadbd.net/", true, false).is_ok());
    /// ```
    pub fn parse(
        url: &str,
        with_token: bool,
        allow_insecure_http: bool,
    ) -> Result<BaseUrl, UrlError> {
        let url = url.trim().trim_end_matches('/');
        let (secure, rest) = if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(UrlError::Invalid);
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.is_empty()
            || authority.contains('@')
            || url.contains(['?', '#'])
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(UrlError::Invalid);
        }
        if !secure && with_token && !allow_insecure_http && !is_loopback(authority) {
            return Err(UrlError::InsecureHttp);
        }
        Ok(BaseUrl(url.to_owned()))
    }

    pub fn join(&self, path: &str) -> String {
        [self.0.as_str(), path].concat()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `host[:port]` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
pub fn is_loopback(authority: &str) -> bool {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next() == Some("::1");
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.first() == Some(&"127")
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(bdpay_core::text::hex_digit(u32::from(b >> 4)).to_ascii_uppercase());
            out.push(bdpay_core::text::hex_digit(u32::from(b)).to_ascii_uppercase());
        }
    }
    out
}

/// Where and as whom to call an API.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub base: BaseUrl,
    pub token: Option<Token>,
}

impl Endpoint {
    /// A JSON request to `path` (which starts with `/`), with `Accept` and,
    /// when there is a body, `Content-Type` set.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&bdpay_core::json::Value>,
    ) -> HttpRequest {
        let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        HttpRequest {
            method,
            url: self.base.join(path),
            headers,
            body: body.map(bdpay_core::json::Value::to_json),
            token: self.token.clone(),
        }
    }
}

/// `?k=v&…` for the pairs, or `""` when there are none.
pub fn query_string(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&encode_component(k));
        out.push('=');
        out.push_str(&encode_component(v));
    }
    out
}

/// `n` milliseconds as decimal text (for messages).
pub fn ms_text(n: u64) -> String {
    decimal(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_never_prints() {
        let t = Token::new("s3cret-token");
        let req = HttpRequest {
            method: Method::Get,
            url: "https://x".into(),
            headers: vec![],
            body: None,
            token: Some(t.clone()),
        };
        assert!(!format!("{req:?}").contains("s3cret"));
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(t.header_value(), "Bearer s3cret-token");
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        let rows = [
            (
                "http://127.0.0.1:8080/",
                true,
                false,
                Ok("http://127.0.0.1:8080"),
            ),
            ("http://127.1.2.3", true, false, Ok("http://127.1.2.3")),
            (
                "http://localhost:3000/api",
                true,
                false,
                Ok("http://localhost:3000/api"),
            ),
            ("http://[::1]:8080", true, false, Ok("http://[::1]:8080")),
            (
                "http://flexiloadbd.net",
                true,
                false,
                Err(UrlError::InsecureHttp),
            ),
            (
                "http://127.0.0.1.evil.com",
                true,
                false,
                Err(UrlError::InsecureHttp),
            ),
            (
                "http://localhost@evil.com",
                true,
                false,
                Err(UrlError::Invalid),
            ),
            (
                "http://192.168.1.5",
                true,
                false,
                Err(UrlError::InsecureHttp),
            ),
            (
                "http://flexiloadbd.net",
                true,
                true,
                Ok("http://flexiloadbd.net"),
            ),
            (
                "http://proxy.example",
                false,
                false,
                Ok("http://proxy.example"),
            ),
            (
                "https://flexiloadbd.net",
                true,
                false,
                Ok("https://flexiloadbd.net"),
            ),
            ("ftp://x", true, false, Err(UrlError::Invalid)),
            ("https://", true, false, Err(UrlError::Invalid)),
            ("https://a b", true, false, Err(UrlError::Invalid)),
            ("https://x/?q=1", true, false, Err(UrlError::Invalid)),
        ];
        for (url, token, allow, want) in rows {
            let got = BaseUrl::parse(url, token, allow);
            assert_eq!(
                got.as_ref().map(BaseUrl::as_str).map_err(|e| *e),
                want,
                "{url}"
            );
        }
    }

    #[test]
    fn query_components_are_percent_encoded() {
        let q = query_string(&[
            ("bll no".into(), "a&b=c/৳".into()),
            ("k".into(), "v".into()),
        ]);
        assert_eq!(q, "?bll%20no=a%26b%3Dc%2F%E0%A7%B3&k=v");
        assert_eq!(query_string(&[]), "");
    }

    #[test]
    fn retry_after_in_seconds() {
        let r = HttpResponse {
            status: 429,
            headers: vec![("Retry-After".into(), " 7 ".into())],
            body: vec![],
        };
        assert_eq!(r.retry_after_ms(), Some(7000));
        let r = HttpResponse {
            status: 429,
            headers: vec![("retry-after".into(), "Wed, 21 Oct 2015 07:28:00 GMT".into())],
            body: vec![],
        };
        assert_eq!(r.retry_after_ms(), None);
    }
}
