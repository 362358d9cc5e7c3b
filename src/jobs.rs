//! Background jobs (imports, exports): a named thread, a bounded channel of progress and one
//! final result, a cancel flag, and a repaint callback so the window redraws as they advance.
//! Frames never wait for a job. A job ends with its own typed error `E` (an import's
//! `ImportError`, …); the window turns it into words when it shows it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};
use std::time::{Duration, Instant};

/// How far a job is.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Units done (rows).
    pub done: u64,
    /// 0.0–1.0, when known.
    pub fraction: f32,
}

enum Msg<T, E> {
    Progress(Progress),
    Done(Result<T, E>),
}

/// A running job whose result is a `T`, or its error `E`.
pub struct Job<T, E> {
    rx: Receiver<Msg<T, E>>,
    cancel: Arc<AtomicBool>,
    started: Instant,
    /// The latest progress seen.
    pub progress: Progress,
    /// What the job is, for the user.
    pub title: String,
}

impl<T: Send + 'static, E: From<std::io::Error> + Send + 'static> Job<T, E> {
    /// Starts `body` on a thread named `name`. `repaint` is called (at most every 100 ms) when
    /// there is news, so an idle window wakes up. When no thread can be started, the job ends
    /// at once with that system error.
    pub fn spawn(
        name: &str,
        title: String,
        repaint: impl Fn() + Send + 'static,
        body: impl FnOnce(&dyn Fn(Progress), &AtomicBool) -> Result<T, E> + Send + 'static,
    ) -> Self {
        let (tx, rx) = sync_channel::<Msg<T, E>>(64);
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let last = std::cell::Cell::new(Instant::now() - Duration::from_secs(1));
                let report = |p: Progress| {
                    if last.get().elapsed() >= Duration::from_millis(100) {
                        last.set(Instant::now());
                        // A full channel only means the window is behind: drop this update.
                        if let Err(TrySendError::Disconnected(_)) = tx.try_send(Msg::Progress(p)) {
                            return;
                        }
                        repaint();
                    }
                };
                let result = body(&report, &flag);
                let _ = tx.send(Msg::Done(result));
                repaint();
            });
        let (rx, title) = match spawned {
            Ok(_) => (rx, title),
            Err(e) => {
                let (tx2, rx2) = sync_channel(1);
                let _ = tx2.send(Msg::Done(Err(E::from(e))));
                (rx2, title)
            }
        };
        Self {
            rx,
            cancel,
            started: Instant::now(),
            progress: Progress::default(),
            title,
        }
    }

    /// Takes the news: `Some(result)` once the job has finished.
    pub fn poll(&mut self) -> Option<Result<T, E>> {
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                Msg::Progress(p) => self.progress = p,
                Msg::Done(r) => return Some(r),
            }
        }
        None
    }

    /// Asks the job to stop; it ends with its own "cancelled" result.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancelling was asked.
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Units per second so far.
    pub fn rate(&self) -> f64 {
        let secs = self.started.elapsed().as_secs_f64();
        if secs > 0.0 {
            self.progress.done as f64 / secs
        } else {
            0.0
        }
    }

    /// Estimated time left, when the fraction is known.
    pub fn eta(&self) -> Option<Duration> {
        let f = self.progress.fraction as f64;
        (f > 0.01 && f < 1.0).then(|| {
            let spent = self.started.elapsed().as_secs_f64();
            Duration::from_secs_f64(spent * (1.0 - f) / f)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job's own error, for these tests.
    #[derive(Debug, PartialEq)]
    struct Failed(String);

    impl From<std::io::Error> for Failed {
        fn from(e: std::io::Error) -> Self {
            Failed(e.to_string())
        }
    }

    #[test]
    fn a_job_reports_and_finishes() {
        let mut job: Job<u64, Failed> = Job::spawn(
            "test-job",
            "x".into(),
            || {},
            |progress, _| {
                for i in 0..3 {
                    progress(Progress {
                        done: i,
                        fraction: 0.5,
                    });
                }
                Ok(42)
            },
        );
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(result, Ok(42));
    }

    #[test]
    fn a_job_can_be_cancelled() {
        let mut job: Job<(), Failed> = Job::spawn(
            "test-cancel",
            "x".into(),
            || {},
            |_, cancel| {
                while !cancel.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(Failed("cancelada".into()))
            },
        );
        job.cancel();
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(result, Err(Failed("cancelada".into())));
    }
}
