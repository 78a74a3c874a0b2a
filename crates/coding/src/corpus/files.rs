//! Reading the corpus files from a `shared/data` folder: the only disk access of the corpus
//! module, kept apart so everything else works on text in memory.

use std::path::{Path, PathBuf};

use super::CorpusTexts;

/// A corpus file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadFileError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Reads every file the proxy tasks need from `data` (the `shared/data` folder).
pub fn read_dir(data: &Path) -> Result<CorpusTexts, ReadFileError> {
    let read = |relative: &str| {
        let path = data.join(relative);
        std::fs::read(&path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|source| ReadFileError { path, source })
    };
    Ok(CorpusTexts {
        goemotions_labels: read("goemotions/labels.txt")?,
        goemotions_train: read("goemotions/train.tsv")?,
        goemotions_dev: read("goemotions/dev.tsv")?,
        davidson: read("davidson-hate-offensive/labeled_data.csv")?,
        annomi: read("annomi/AnnoMI-simple.csv")?,
        epitome_emotional_reactions: read("epitome-reddit/emotional-reactions-reddit.csv")?,
        epitome_explorations: read("epitome-reddit/explorations-reddit.csv")?,
        epitome_interpretations: read("epitome-reddit/interpretations-reddit.csv")?,
        mrda_train: read("mrda/train_set.txt")?,
        mrda_eval: read("mrda/eval_set.txt")?,
    })
}
