//! The HTTP side: routes, the accept loop, static files and request logs.
//!
//! Connections are served one task each with hyper, so that a fault can
//! close a connection for real (RST or FIN, no response) while the server
//! goes on. Handlers only translate between HTTP and the synchronous logic
//! in `gateway`, `wallet` and `admin`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use bdpay_core::json::{self, object, Value};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::faults::{self, Close};
use crate::reply::Reply;
use crate::seed::Catalog;
use crate::state::{Now, World};
use crate::{admin, gateway, wallet};

/// Shared by every connection.
pub struct App {
    pub catalog: Catalog,
    pub world: Mutex<World>,
    /// Whether to write one line per request to stderr.
    pub log: bool,
}

impl App {
    pub fn new(catalog: Catalog, log: bool) -> App {
        let world = World::new(&catalog, Instant::now());
        App {
            catalog,
            world: Mutex::new(world),
            log,
        }
    }

    /// The world, even if a thread once panicked holding it (none should).
    pub fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Lets a request ask its connection task to close the socket unanswered.
#[derive(Clone)]
pub struct ConnControl(Arc<watch::Sender<Option<Close>>>);

impl ConnControl {
    pub fn close(&self, how: Close) {
        self.0.send_replace(Some(how));
    }
}

/// Writes one line to stderr; a closed stderr is ignored.
pub fn log_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The token of `Authorization: Bearer …`, if well formed.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    let token = rest.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// A body as a JSON value: JSON unless it is a form. An empty body is `{}`,
/// as Laravel reads no input.
fn read_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Value, ()> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Vec::new()));
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .starts_with("application/x-www-form-urlencoded")
        });
    if form {
        let mut fields: Vec<(String, Value)> = Vec::new();
        for (k, v) in form_urlencoded::parse(bytes) {
            fields.push((k.into_owned(), Value::String(v.into_owned())));
        }
        return Ok(Value::Object(fields));
    }
    json::parse(bytes).map_err(|_| ())
}

fn gateway_call(
    app: &App,
    endpoint: gateway::Endpoint,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let value = read_body(headers, body);
    let now = Now::read();
    let mut world = app.lock();
    gateway::handle(
        endpoint,
        &app.catalog,
        &mut world,
        bearer(headers),
        value.as_ref().map_err(|_| ()),
        now,
    )
    .into_response()
}

fn wallet_call(
    app: &App,
    endpoint: wallet::Endpoint,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Response {
    let pairs: Vec<(String, String)> = query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let value = read_body(headers, body);
    let input = wallet::Input {
        query: &pairs,
        body: value.as_ref().map_err(|_| ()),
    };
    let now = Now::read();
    let mut world = app.lock();
    wallet::handle(
        endpoint,
        &app.catalog,
        &mut world,
        bearer(headers),
        input,
        now,
    )
    .into_response()
}

async fn gw_balance(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    gateway_call(&app, gateway::Endpoint::Balance, &headers, &[])
}

async fn gw_packages(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    gateway_call(&app, gateway::Endpoint::Packages, &headers, &body)
}

async fn gw_request(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    gateway_call(&app, gateway::Endpoint::Request, &headers, &body)
}

async fn gw_status(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    gateway_call(&app, gateway::Endpoint::Status, &headers, &body)
}

async fn w_billers(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    wallet_call(&app, wallet::Endpoint::Billers, &headers, None, &[])
}

async fn w_summary(State(app): State<Arc<App>>, headers: HeaderMap, req: Request) -> Response {
    let query = req.uri().query().map(str::to_owned);
    wallet_call(
        &app,
        wallet::Endpoint::Summary,
        &headers,
        query.as_deref(),
        &[],
    )
}

async fn w_execute(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    wallet_call(&app, wallet::Endpoint::Execute, &headers, None, &body)
}

async fn w_histories(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    wallet_call(&app, wallet::Endpoint::Histories, &headers, None, &body)
}

async fn w_beneficiaries(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    wallet_call(&app, wallet::Endpoint::Beneficiaries, &headers, None, &[])
}

async fn api_not_found(req: Request) -> Response {
    // Inside the nested router the path has lost its `/api` prefix.
    let path = ["/api", req.uri().path()].concat();
    let message = "The route could not be found.";
    let reply = if faults::family(&path) == faults::Family::Gateway {
        crate::reply::gateway_error(404, message)
    } else {
        crate::reply::wallet_error(404, &[message], crate::reply::Title::Absent)
    };
    reply.into_response()
}

// Admin bodies are JSON whatever the Content-Type says (`curl -d` sends a form type).
async fn admin_accounts(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let value = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Null)
    } else {
        json::parse(&body).map_err(|_| ())
    };
    let now = Now::read();
    let mut world = app.lock();
    admin::create_account(
        &app.catalog,
        &mut world,
        value.as_ref().map_err(|_| ()),
        now,
    )
    .into_response()
}

async fn admin_transactions(State(app): State<Arc<App>>, req: Request) -> Response {
    let token = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
    });
    let now = Now::read();
    let mut world = app.lock();
    admin::transactions(&mut world, token.as_deref(), now).into_response()
}

async fn admin_reset(State(app): State<Arc<App>>) -> Response {
    let now = Now::read();
    let mut world = app.lock();
    admin::reset(&app.catalog, &mut world, now).into_response()
}

async fn admin_add_fault(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let value = json::parse(&body).map_err(|_| ());
    let mut world = app.lock();
    admin::add_fault(&mut world, value.as_ref().map_err(|_| ())).into_response()
}

async fn admin_list_faults(State(app): State<Arc<App>>) -> Response {
    admin::list_faults(&app.lock()).into_response()
}

async fn admin_clear_faults(State(app): State<Arc<App>>) -> Response {
    admin::clear_faults(&mut app.lock()).into_response()
}

async fn admin_not_found() -> Response {
    Reply::new(404, object([("error", "no such admin endpoint".into())])).into_response()
}

/// Content types that matter to a browser loading the wasm package; the
/// rest are left as guessed from the extension.
fn content_type_for(path: &str) -> Option<&'static str> {
    if path.ends_with('/') {
        return Some("text/html; charset=utf-8");
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "ts" => "text/plain; charset=utf-8",
        "map" | "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        _ => return None,
    })
}

/// Static files: fixed content types, and no caching so a rebuilt `pkg/` shows at once.
async fn static_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if res.status().is_success() {
        if let Some(ct) = content_type_for(&path) {
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

async fn access_log(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if !app.log {
        return next.run(req).await;
    }
    let started = Instant::now();
    // The path only: query strings may carry account numbers.
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let res = next.run(req).await;
    log_line(&format!(
        "{method} {path} {} {}ms",
        res.status().as_u16(),
        started.elapsed().as_millis()
    ));
    res
}

/// Every route: both APIs (with fault injection), the admin endpoints, and
/// `www/` at `/` and `pkg/` at `/pkg/`.
pub fn router(app: Arc<App>, www: PathBuf, pkg: PathBuf) -> Router {
    let api = Router::new()
        .route("/gateway/v1/balance", get(gw_balance))
        .route("/gateway/v1/packages", post(gw_packages))
        .route("/gateway/v1/request", post(gw_request))
        .route("/gateway/v1/status", post(gw_status))
        .route("/v1/private/wallet/utility/billers", get(w_billers))
        .route(
            "/v1/private/wallet/utility-bill-pay/summary",
            get(w_summary),
        )
        .route(
            "/v1/private/wallet/utility-bill-pay/execute",
            post(w_execute),
        )
        .route(
            "/v1/private/wallet/utility-bill-pay/histories",
            post(w_histories),
        )
        .route(
            "/v1/private/wallet/utility-bill-pay/beneficiaries",
            get(w_beneficiaries),
        )
        .fallback(api_not_found);
    let admin = Router::new()
        .route("/accounts", post(admin_accounts))
        .route("/transactions", get(admin_transactions))
        .route("/reset", post(admin_reset))
        .route(
            "/faults",
            get(admin_list_faults)
                .post(admin_add_fault)
                .delete(admin_clear_faults),
        )
        .fallback(admin_not_found);
    let files = Router::new()
        .nest_service("/pkg", ServeDir::new(pkg))
        .fallback_service(ServeDir::new(www))
        .layer(middleware::from_fn(static_headers));
    Router::new()
        .nest("/api", api)
        .nest("/__sandbox", admin)
        .merge(files)
        .layer(middleware::from_fn_with_state(app.clone(), faults::inject))
        .layer(middleware::from_fn_with_state(app.clone(), access_log))
        .with_state(app)
}

/// Waits until a request of this connection asks for it to be closed.
async fn close_requested(rx: &mut watch::Receiver<Option<Close>>) -> Close {
    loop {
        if let Some(how) = *rx.borrow_and_update() {
            return how;
        }
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

async fn connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    // A second handle on the same socket, to ask for a reset on close.
    let socket = socket2::SockRef::from(&stream).try_clone().ok();
    let (tx, mut rx) = watch::channel(None);
    let control = ConnControl(Arc::new(tx));
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(control.clone());
        router.clone().oneshot(req)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        how = close_requested(&mut rx) => {
            // Linger 0: the last close of the socket sends RST instead of FIN.
            if how == Close::Rst {
                if let Some(s) = &socket {
                    let _ = s.set_linger(Some(Duration::ZERO));
                }
            }
            // Leaving this branch drops the connection and its socket unanswered.
        }
    }
    drop(socket);
}

/// Accepts connections until the process ends.
pub async fn serve(listener: TcpListener, router: Router) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, router.clone()));
            }
            Err(e) => {
                // Out of file descriptors and the like: wait and go on.
                log_line(&format!("accept failed: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}
