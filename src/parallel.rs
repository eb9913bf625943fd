//! Work cut into chunks, done on every core, handed on in order.
//!
//! Classifying and rendering a large diff is the same small job for each of
//! thousands of groups: [`ordered_chunks`] runs it a chunk at a time on
//! worker threads and gives each result to the caller in chunk order, as
//! soon as its turn comes, so output can be written while the rest is still
//! being computed. The result never depends on the number of threads.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// The number of worker threads for `chunks` chunks of work: one per core,
/// no more than there are chunks.
fn threads_for(chunks: usize) -> usize {
    // A thread costs memory (its own stack and allocator arena) and time to
    // start: worth it only for work of several chunks.
    if chunks < 4 {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks)
        .min(8)
}

/// Runs `work` on `0..n` cut into ranges of `chunk` items, on up to one
/// thread per core, and calls `sink` with each result in the order of the
/// ranges. The first error of `sink` stops the work and is returned.
///
/// ```
/// let mut out = Vec::new();
/// treaty::parallel::ordered_chunks(10, 3, |r| r.map(|i| i * i).collect::<Vec<_>>(), |v| {
///     out.extend(v);
///     Ok::<(), ()>(())
/// })
/// .unwrap();
/// assert_eq!(out, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
/// ```
pub fn ordered_chunks<T: Send, E>(
    n: usize,
    chunk: usize,
    work: impl Fn(Range<usize>) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    ordered_chunks_on(threads_for(n.div_ceil(chunk.max(1))), n, chunk, work, sink)
}

/// [`ordered_chunks`] on exactly `threads` worker threads (none for one:
/// then the caller's thread does the work).
fn ordered_chunks_on<T: Send, E>(
    threads: usize,
    n: usize,
    chunk: usize,
    work: impl Fn(Range<usize>) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let chunk = chunk.max(1);
    let chunks = n.div_ceil(chunk);
    let range = |k: usize| k * chunk..((k + 1) * chunk).min(n);
    if threads <= 1 {
        for k in 0..chunks {
            sink(work(range(k)))?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, T)>(threads * 2);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, work) = (&next, &stop, &work);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= chunks || tx.send((k, work(range(k)))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results arrive in any order; each is handed on when its turn
        // comes.
        let mut pending = BTreeMap::new();
        let mut turn = 0;
        for (k, result) in rx {
            pending.insert(k, result);
            while let Some(result) = pending.remove(&turn) {
                turn += 1;
                if let Err(e) = sink(result) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squares(threads: usize, n: usize, chunk: usize) -> Vec<usize> {
        let mut out = Vec::new();
        ordered_chunks_on(
            threads,
            n,
            chunk,
            |r| r.map(|i| i * i).collect::<Vec<_>>(),
            |v| {
                out.extend(v);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn same_result_on_any_number_of_threads() {
        let want: Vec<usize> = (0..1000).map(|i| i * i).collect();
        for threads in [1, 2, 3, 8] {
            for chunk in [1, 7, 64, 1000, 5000] {
                assert_eq!(squares(threads, 1000, chunk), want, "{threads} {chunk}");
            }
        }
        assert!(squares(2, 0, 10).is_empty());
    }

    #[test]
    fn the_first_error_stops_the_work() {
        let done = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let result = ordered_chunks_on(
            2,
            10_000,
            1,
            |r| {
                done.fetch_add(1, Ordering::Relaxed);
                r.start
            },
            |k| {
                seen.push(k);
                if k == 5 {
                    Err(k)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err(5));
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
        assert!(done.load(Ordering::Relaxed) < 10_000);
    }
}
