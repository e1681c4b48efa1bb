//! The journaled commit of an output folder: a set of staged files becomes visible as a whole.
//!
//! A rename is atomic, but a set of renames is not: a run killed between the second and the
//! third rename would leave two new tables next to older ones. So before the first rename the
//! commit writes a journal, `.framelens-commit`, listing every rename (staged name -> final
//! name) and every stale output to remove. The journal itself appears atomically (written as
//! `.framelens-commit.tmp`, flushed, renamed), and it is written only once every staged file is
//! complete and flushed, so its presence means "the new set is whole; finish installing it".
//! The commit then renames in the listed order, removes the stale files, and deletes the
//! journal last.
//!
//! **Recovery rolls forward.** Whoever finds a journal ([`recover`]: every [`super::OutputDir`]
//! before it stages anything, and every read of a table or run folder by framelens) replays it:
//! a rename whose staged file still exists is done, one whose staged file is gone was done
//! already; listed stale files are removed; then the journal is deleted. Replaying is idempotent,
//! so a crash during recovery is recovered the same way. Rolling back instead would need the
//! previous files kept under other names until the end, for no gain: the new set is complete.
//! A crash *before* the journal appears leaves only hidden `.tmp` files, which the next run
//! overwrites; the previous outputs are untouched.
//!
//! Durability: staged files, the journal and the folders are flushed (`fsync`) before the step
//! that depends on them, so the order also holds across a power failure on file systems that
//! honour `fsync`.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{io_err, TableError};

/// The journal's file name in the output folder.
pub const JOURNAL: &str = ".framelens-commit";

/// The journal while it is being written.
const JOURNAL_TMP: &str = ".framelens-commit.tmp";

/// The journal's content. Paths are relative to the output folder, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    /// Format version (1).
    pub version: u32,
    /// `(staged, final)` pairs, in the order they are renamed.
    pub renames: Vec<(String, String)>,
    /// Outputs of an earlier run that this commit removes.
    pub remove: Vec<String>,
}

/// Commits `journal` in `dir`: flushes the staged files, writes the journal, renames, removes,
/// deletes the journal. A crash injected with [`inject_crash`] stops after the given number of
/// renames, leaving the journal in place as a killed process would.
pub(super) fn commit(dir: &Path, journal: &Journal) -> Result<(), TableError> {
    for (staged, _) in &journal.renames {
        sync_file(&dir.join(staged))?;
    }
    let tmp = dir.join(JOURNAL_TMP);
    let text = serde_json::to_string_pretty(journal).expect("a journal serializes");
    File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .map_err(io_err(&tmp))?;
    let path = dir.join(JOURNAL);
    fs::rename(&tmp, &path).map_err(io_err(&path))?;
    sync_dir(dir)?;
    // The commit point has passed: from here on, the new set is what recovery installs.
    apply(dir, journal, take_injected_crash(dir))
}

/// Finishes a commit that a crash interrupted: replays `dir`'s journal if there is one (see the
/// module documentation) and removes a journal that was never completed. Returns whether a
/// journal was replayed. A folder that does not exist needs nothing.
pub fn recover(dir: &Path) -> Result<bool, TableError> {
    let unfinished = dir.join(JOURNAL_TMP);
    if unfinished.exists() {
        // The crash came before the commit point: the previous outputs are still in place.
        fs::remove_file(&unfinished).map_err(io_err(&unfinished))?;
    }
    let path = dir.join(JOURNAL);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io_err(&path)(e)),
    };
    let journal: Journal = serde_json::from_str(&text).map_err(|e| {
        io_err(&path)(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("unreadable commit journal ({e}); remove it and rerun"),
        ))
    })?;
    apply(dir, &journal, None)?;
    Ok(true)
}

/// Renames and removes as `journal` lists, skipping what was done already, then deletes the
/// journal.
fn apply(dir: &Path, journal: &Journal, crash_after: Option<usize>) -> Result<(), TableError> {
    let mut folders: Vec<PathBuf> = vec![dir.to_path_buf()];
    for (i, (staged, dest)) in journal.renames.iter().enumerate() {
        if crash_after == Some(i) {
            return Err(injected(dir, i));
        }
        let (staged, dest) = (dir.join(staged), dir.join(dest));
        if staged.exists() {
            fs::rename(&staged, &dest).map_err(io_err(&dest))?;
        }
        if let Some(parent) = dest.parent() {
            if !folders.iter().any(|f| f == parent) {
                folders.push(parent.to_path_buf());
            }
        }
    }
    if crash_after.is_some_and(|n| n >= journal.renames.len()) {
        return Err(injected(dir, journal.renames.len()));
    }
    for stale in &journal.remove {
        let path = dir.join(stale);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path)(e)),
        }
    }
    for folder in &folders {
        sync_dir(folder)?;
    }
    let path = dir.join(JOURNAL);
    fs::remove_file(&path).map_err(io_err(&path))?;
    sync_dir(dir)
}

fn sync_file(path: &Path) -> Result<(), TableError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io_err(path))
}

/// Flushes a folder's entries (the renames in it). Folders cannot be opened for syncing on every
/// platform; where they cannot, there is nothing more to do.
fn sync_dir(dir: &Path) -> Result<(), TableError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(io_err(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Folders whose next commit stops early, and after how many renames.
static CRASHES: Mutex<Vec<(PathBuf, usize)>> = Mutex::new(Vec::new());

/// Fault injection for tests: the next commit of the output folder `dir` stops after `renames`
/// renames (past the commit point, before the stale files are removed and the journal deleted)
/// and returns an error, leaving the folder exactly as a process killed at that moment would.
/// One-shot, and keyed by folder, so tests running in parallel do not see each other's faults.
#[doc(hidden)]
pub fn inject_crash(dir: &Path, renames: usize) {
    CRASHES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((dir.to_path_buf(), renames));
}

fn take_injected_crash(dir: &Path) -> Option<usize> {
    let mut crashes = CRASHES.lock().unwrap_or_else(|e| e.into_inner());
    let i = crashes.iter().position(|(d, _)| d == dir)?;
    Some(crashes.remove(i).1)
}

fn injected(dir: &Path, renames: usize) -> TableError {
    io_err(&dir.join(JOURNAL))(std::io::Error::other(format!(
        "injected crash after {renames} renames"
    )))
}
