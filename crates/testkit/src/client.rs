//! An HTTP client that behaves like a browser: it keeps cookies, does not follow
//! redirects (tests look at them), and finds the CSRF token the way a form would.

use reqwest::{Response, StatusCode, header::HeaderMap};

#[derive(Debug, Clone)]
pub struct TestClient {
    pub http: reqwest::Client,
    base: String,
}

/// A fetched page: status, headers and body.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
}

impl TestClient {
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            http,
            base: base.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Page {
        page(self.http.get(self.url(path)).send().await.unwrap()).await
    }

    /// Posts a form with the CSRF token a page of ours would have put in it.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        page(
            self.http
                .post(self.url(path))
                .form(&all)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts a form exactly as given: no token added.
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request = self.http.post(self.url(path)).form(fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        page(request.send().await.unwrap()).await
    }

    /// The token forms carry: from the account page when signed in, else the sign-in page.
    pub async fn csrf_token(&self) -> String {
        let account = self.get("/account").await;
        let source = if account.status == StatusCode::OK {
            account
        } else {
            self.get("/login").await
        };
        extract_csrf(&source.body).unwrap_or_default()
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        let login = self.get("/login").await;
        let token = extract_csrf(&login.body).expect("the sign-in page has a CSRF token");
        self.http
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// The value of the session cookie the client holds, if any (via a request echo).
    pub fn session_cookie(response: &Response) -> Option<String> {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|cookie| {
                cookie
                    .strip_prefix("cw_session=")
                    .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
            })
    }
}

async fn page(response: Response) -> Page {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    Page {
        status,
        headers,
        body,
    }
}

/// Finds `name="csrf_token" value="..."` in a page.
pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}
