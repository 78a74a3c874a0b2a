//! Kiosk submissions per second at 32 concurrent clients, one transaction each and with
//! group commit (a queue that commits whatever is waiting, up to 32, with
//! `submit_responses_batch`, two batches in flight), beside the raw single-row durable
//! commit rate of the same database with 1 and with 32 clients. Every submission is
//! checked, stored and audited (hash-chained) as the store always does.
//!
//!     cargo run --release -p circlework-store --example group_commit [-- SECONDS [COMMITTERS]]
//!
//! SQLite always (WAL, synchronous = FULL, a temporary file); PostgreSQL too when
//! CIRCLEWORK_TEST_POSTGRES_URL is set (a fresh database on that server).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate circlework_store as store;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use domain::SessionCode;
use jiff::{SignedDuration, Timestamp};
use sqlx::{Executor, any::AnyPoolOptions};
use store::{
    AuditContext, Backend, InstrumentRef, NewKiosk, NewResponse, ResponseSource, SharedStore,
    Submission, SubmitOutcome, fixtures,
    testing::{TempDatabase, postgres_admin_url},
};
use tokio::sync::{Mutex, mpsc, oneshot};

const CLIENTS: usize = 32;
/// Batches in flight at once (each one transaction) unless the command line says: while one
/// commits, the next gathers.
const COMMITTERS: usize = 2;
const MEMBERS: usize = 32;
const SESSIONS: u32 = 400;

fn now() -> Timestamp {
    "2026-05-04T18:00:00Z".parse().unwrap()
}

/// A raw pool on the same database with the store's durability settings.
async fn raw_pool(db: &TempDatabase) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let sqlite = db.backend == Backend::Sqlite;
    AnyPoolOptions::new()
        .max_connections(if sqlite { 8 } else { CLIENTS as u32 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect(&db.url)
        .await
        .unwrap()
}

/// Single-row autocommit inserts per second with `clients` clients.
async fn raw_rate(pool: &sqlx::AnyPool, clients: usize, seconds: f64) -> f64 {
    let done = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (pool, done) = (pool.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                sqlx::query("INSERT INTO bench_raw (v) VALUES ($1)")
                    .bind("x")
                    .execute(&pool)
                    .await
                    .unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Every (session, member) pair once, as kiosk submissions.
fn submissions(f: &fixtures::GroupFixture, kiosks: &[store::Kiosk]) -> Vec<Submission> {
    let mut out = Vec::new();
    for (session, kiosk) in f.sessions.iter().zip(kiosks) {
        for member in &f.members {
            out.push(Submission {
                by: AuditContext::system("kiosk", "kiosk", now()),
                response: NewResponse {
                    session_id: session.id,
                    member_id: member.id,
                    instrument: "gcqs".into(),
                    version: 1,
                    answers: vec![Some(3); 12],
                    source: ResponseSource::Kiosk,
                    kiosk_id: Some(kiosk.id),
                    entered_by: None,
                    submitted_at: now(),
                    raises: vec![],
                },
            });
        }
    }
    out
}

type Queued = (Submission, oneshot::Sender<SubmitOutcome>);

/// Commits whatever is queued, up to `CLIENTS` at a time, until the queue closes.
async fn committer(store: SharedStore, inbox: Arc<Mutex<mpsc::Receiver<Queued>>>) {
    loop {
        let waiting = {
            let mut inbox = inbox.lock().await;
            let Some(first) = inbox.recv().await else {
                break;
            };
            let mut waiting = vec![first];
            while waiting.len() < CLIENTS {
                match inbox.try_recv() {
                    Ok(next) => waiting.push(next),
                    Err(_) => break,
                }
            }
            waiting
        };
        let (batch, replies): (Vec<_>, Vec<_>) = waiting.into_iter().unzip();
        let outcomes = store.submit_responses_batch(&batch).await.unwrap();
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            let _ = reply.send(outcome);
        }
    }
}

/// (submissions/s, p99 latency) of `CLIENTS` clients draining `work`; `batched` sends them
/// through the group-commit queue, otherwise each commits alone.
async fn kiosk_rate(
    store: &SharedStore,
    work: Vec<Submission>,
    seconds: f64,
    committers: usize,
    batched: bool,
) -> (f64, Duration) {
    let work = Arc::new(std::sync::Mutex::new(work));
    let (queue, inbox) = mpsc::channel::<Queued>(1024);
    let inbox = Arc::new(Mutex::new(inbox));
    let committers: Vec<_> = (0..committers)
        .map(|_| tokio::spawn(committer(store.clone(), inbox.clone())))
        .collect();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (store, work, queue) = (store.clone(), work.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let Some(submission) = work.lock().unwrap().pop() else {
                    break;
                };
                let t = Instant::now();
                let outcome = if batched {
                    let (reply, answer) = oneshot::channel();
                    queue.send((submission, reply)).await.unwrap();
                    answer.await.unwrap()
                } else {
                    store
                        .submit_responses_batch(&[submission])
                        .await
                        .unwrap()
                        .remove(0)
                };
                assert!(outcome.is_accepted(), "{outcome:?}");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(queue);
    for committer in committers {
        committer.await.unwrap();
    }
    latencies.sort();
    let p99 = latencies
        .get((latencies.len() * 99 / 100).min(latencies.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default();
    (latencies.len() as f64 / elapsed, p99)
}

async fn run(backend: Backend, seconds: f64, committers: usize) {
    let admin = postgres_admin_url();
    let db = TempDatabase::for_backend(backend, admin.as_deref())
        .await
        .unwrap();
    let store = store::open(&db.url).await.unwrap();
    let by = AuditContext::system("bench", "bench", now());
    let starts_on = jiff::civil::date(2026, 1, 5);
    let f = fixtures::group(&store, &by, "Bench", MEMBERS, SESSIONS, SESSIONS, starts_on)
        .await
        .unwrap();
    let mut kiosks = Vec::new();
    for (n, session) in f.sessions.iter().enumerate() {
        // Six characters of the code alphabet, one code per session.
        let code = format!("K{n:05}").replace('0', "A").replace('1', "B");
        let new = NewKiosk {
            session_id: session.id,
            instruments: vec![InstrumentRef::new("gcqs", 1)],
            expires_at: now().checked_add(SignedDuration::from_hours(3)).unwrap(),
        };
        let code = SessionCode::parse(&code).unwrap();
        kiosks.push(store.open_kiosk(&by, &code, &new).await.unwrap());
    }
    let mut work = submissions(&f, &kiosks);
    let half = work.split_off(work.len() / 2);

    let pool = raw_pool(&db).await;
    let id = if backend == Backend::Sqlite {
        "INTEGER PRIMARY KEY"
    } else {
        "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    };
    sqlx::query(&format!(
        "CREATE TABLE bench_raw (id {id}, v TEXT NOT NULL)"
    ))
    .execute(&pool)
    .await
    .unwrap();
    let raw_1 = raw_rate(&pool, 1, seconds).await;
    let raw_32 = raw_rate(&pool, CLIENTS, seconds).await;
    pool.close().await;
    let (single, single_p99) = kiosk_rate(&store, work, seconds, committers, false).await;
    let (grouped, grouped_p99) = kiosk_rate(&store, half, seconds, committers, true).await;
    let chain = store.verify_audit_chain().await.unwrap();
    assert!(chain.first_break.is_none());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{}: raw single-row commits/s: {raw_1:.0} (1 client), {raw_32:.0} ({CLIENTS} clients)",
        backend.name()
    );
    println!(
        "  kiosk submissions/s at {CLIENTS} clients, one commit each: {single:.0} (p99 {:.1} ms); \
         ratio to raw 1 client {:.2}, to raw {CLIENTS} clients {:.2}",
        ms(single_p99),
        single / raw_1,
        single / raw_32
    );
    println!(
        "  kiosk submissions/s at {CLIENTS} clients, group commit ({committers} in flight): \
         {grouped:.0} (p99 {:.1} ms); ratio to raw 1 client {:.2}, to raw {CLIENTS} clients {:.2}",
        ms(grouped_p99),
        grouped / raw_1,
        grouped / raw_32
    );
    println!("  audit chain intact over {} rows", chain.rows_checked);
}

#[tokio::main]
async fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let committers: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(COMMITTERS)
        .max(1);
    run(Backend::Sqlite, seconds, committers).await;
    if postgres_admin_url().is_some() {
        run(Backend::Postgres, seconds, committers).await;
    }
}
