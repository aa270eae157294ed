//! GDAL reports read failures through a process-wide error handler, not through return
//! values: these record them per thread, so that a damaged file is an error and not a
//! silently short read, and concurrent imports do not see each other's failures.

use std::cell::RefCell;

thread_local! {
    static ERRORS: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Installs (once) the handler that records failures on the thread that caused them.
fn install_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        gdal::config::set_error_handler(|class, _no, msg| {
            if matches!(
                class,
                gdal::errors::CplErrType::Failure | gdal::errors::CplErrType::Fatal
            ) {
                ERRORS.with(|e| {
                    if let Some(v) = e.borrow_mut().as_mut() {
                        v.push(msg.to_owned());
                    }
                });
            }
        });
    });
}

/// Starts recording this thread's failures.
pub fn start() {
    install_handler();
    ERRORS.with(|e| *e.borrow_mut() = Some(Vec::new()));
}

/// Stops recording and returns what was recorded since the last take.
pub fn stop() -> Vec<String> {
    ERRORS.with(|e| e.borrow_mut().take().unwrap_or_default())
}

/// The failures recorded since `start` or the last take.
pub fn take_errors() -> Vec<String> {
    ERRORS.with(|e| {
        e.borrow_mut()
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    })
}

/// Runs `f`, returning what it returned and the GDAL failures it caused.
pub fn with_errors<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    start();
    let out = f();
    (out, stop())
}
