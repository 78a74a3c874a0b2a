//! Parsers for the six corpora (five labelled, read here) into [`Dataset`] examples with
//! the labels of DATA.md's proxy tasks.

use super::split::{half_by_id, part_by_id};
use super::{Dataset, Example, Part, Source, Task};

/// The raw text of every corpus file the tasks read, as found in `shared/data`.
#[derive(Debug, Clone, Default)]
pub struct CorpusTexts {
    /// `goemotions/labels.txt`
    pub goemotions_labels: String,
    /// `goemotions/train.tsv`
    pub goemotions_train: String,
    /// `goemotions/dev.tsv`
    pub goemotions_dev: String,
    /// `davidson-hate-offensive/labeled_data.csv`
    pub davidson: String,
    /// `annomi/AnnoMI-simple.csv`
    pub annomi: String,
    /// `epitome-reddit/emotional-reactions-reddit.csv`
    pub epitome_emotional_reactions: String,
    /// `epitome-reddit/explorations-reddit.csv`
    pub epitome_explorations: String,
    /// `epitome-reddit/interpretations-reddit.csv`
    pub epitome_interpretations: String,
    /// `mrda/train_set.txt`
    pub mrda_train: String,
    /// `mrda/eval_set.txt`
    pub mrda_eval: String,
}

/// A corpus file that does not have the shape we expect.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{file} line {line}: {problem}")]
    Malformed {
        file: &'static str,
        line: usize,
        problem: String,
    },
    #[error("{file}: {source}")]
    Csv {
        file: &'static str,
        source: csv::Error,
    },
    #[error("{file}: no column named {column}")]
    MissingColumn {
        file: &'static str,
        column: &'static str,
    },
}

/// GoEmotions emotions behind each GoEmotions task (DATA.md, tasks 1–6).
const GOEMO_TASKS: &[(Task, &[&str])] = &[
    (Task::GoemoHostility, &["anger", "annoyance", "disgust"]),
    (Task::GoemoJudgment, &["disapproval"]),
    (Task::GoemoSupport, &["caring"]),
    (
        Task::GoemoValidation,
        &["approval", "admiration", "gratitude"],
    ),
    (Task::GoemoHope, &["optimism"]),
    (
        Task::GoemoEmotion,
        &[
            "sadness",
            "grief",
            "fear",
            "remorse",
            "nervousness",
            "embarrassment",
            "disappointment",
        ],
    ),
];

/// MRDA's eval_set.txt is in meeting order; the meeting that starts on this line (1-based,
/// "so we're on." right after the previous meeting's "and we're off.") begins the report
/// part. Lines before it are the tune part. No meeting is shared by the two parts.
pub const MRDA_REPORT_FIRST_LINE: usize = 8663;

/// Builds the dataset of every labelled corpus.
pub fn build(texts: &CorpusTexts) -> Result<Dataset, CorpusError> {
    let mut dataset = Dataset::default();
    goemotions(texts, &mut dataset)?;
    davidson(&texts.davidson, &mut dataset)?;
    annomi(&texts.annomi, &mut dataset)?;
    epitome(texts, &mut dataset)?;
    mrda(
        &texts.mrda_train,
        "mrda/train_set.txt",
        |_| Part::Train,
        &mut dataset,
    )?;
    mrda(
        &texts.mrda_eval,
        "mrda/eval_set.txt",
        |line| {
            if line < MRDA_REPORT_FIRST_LINE {
                Part::Tune
            } else {
                Part::Report
            }
        },
        &mut dataset,
    )?;
    Ok(dataset)
}

fn goemotions(texts: &CorpusTexts, dataset: &mut Dataset) -> Result<(), CorpusError> {
    let names: Vec<&str> = texts.goemotions_labels.lines().map(str::trim).collect();
    for (content, file, fixed) in [
        (
            &texts.goemotions_train,
            "goemotions/train.tsv",
            Some(Part::Train),
        ),
        (&texts.goemotions_dev, "goemotions/dev.tsv", None),
    ] {
        for (number, line) in content.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let malformed = |problem: &str| CorpusError::Malformed {
                file,
                line: number + 1,
                problem: problem.to_owned(),
            };
            let mut fields = line.split('\t');
            let (Some(text), Some(ids), Some(id)) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(malformed("expected text, label ids and comment id"));
            };
            let mut emotions = Vec::new();
            for label in ids.split(',') {
                let index: usize = label
                    .trim()
                    .parse()
                    .map_err(|_| malformed("label id is not a number"))?;
                emotions.push(
                    *names
                        .get(index)
                        .ok_or_else(|| malformed("unknown label id"))?,
                );
            }
            let labels = GOEMO_TASKS
                .iter()
                .map(|(task, positives)| {
                    let positive = emotions.iter().any(|e| positives.contains(e));
                    (*task, Some(positive))
                })
                .collect();
            let part = fixed.unwrap_or_else(|| half_by_id(id));
            dataset.examples.push((
                Source::GoEmotions,
                Example {
                    text: text.to_owned(),
                    part,
                    labels,
                },
            ));
        }
    }
    Ok(())
}

/// A CSV file read into header-named records.
struct Table {
    file: &'static str,
    headers: csv::StringRecord,
    records: Vec<csv::StringRecord>,
}

impl Table {
    fn read(file: &'static str, content: &str) -> Result<Table, CorpusError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(content.as_bytes());
        let headers = reader
            .headers()
            .map_err(|source| CorpusError::Csv { file, source })?
            .clone();
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| CorpusError::Csv { file, source })?;
        Ok(Table {
            file,
            headers,
            records,
        })
    }

    fn column(&self, column: &'static str) -> Result<usize, CorpusError> {
        self.headers
            .iter()
            .position(|h| h == column)
            .ok_or(CorpusError::MissingColumn {
                file: self.file,
                column,
            })
    }
}

fn field(record: &csv::StringRecord, column: usize) -> &str {
    record.get(column).unwrap_or("")
}

fn davidson(content: &str, dataset: &mut Dataset) -> Result<(), CorpusError> {
    let table = Table::read("davidson-hate-offensive/labeled_data.csv", content)?;
    let (id, class, tweet) = (
        table.column("")?,
        table.column("class")?,
        table.column("tweet")?,
    );
    for record in &table.records {
        let positive = matches!(field(record, class), "0" | "1");
        dataset.examples.push((
            Source::Davidson,
            Example {
                text: field(record, tweet).to_owned(),
                part: part_by_id(field(record, id)),
                labels: vec![(Task::DavidsonHostility, Some(positive))],
            },
        ));
    }
    Ok(())
}

fn annomi(content: &str, dataset: &mut Dataset) -> Result<(), CorpusError> {
    let table = Table::read("annomi/AnnoMI-simple.csv", content)?;
    let transcript = table.column("transcript_id")?;
    let speaker = table.column("interlocutor")?;
    let text = table.column("utterance_text")?;
    let behaviour = table.column("main_therapist_behaviour")?;
    let talk = table.column("client_talk_type")?;
    for record in &table.records {
        let part = part_by_id(field(record, transcript));
        let (source, labels) = if field(record, speaker) == "therapist" {
            let behaviour = field(record, behaviour);
            // Reflection and question both score facilitation: each task leaves the
            // other's positives out of its negatives (DATA.md).
            let only = |own: &str, other: &str| match behaviour {
                b if b == own => Some(true),
                b if b == other => None,
                _ => Some(false),
            };
            (
                Source::AnnomiTherapist,
                vec![
                    (Task::AnnomiAdvice, Some(behaviour == "therapist_input")),
                    (Task::AnnomiReflection, only("reflection", "question")),
                    (Task::AnnomiQuestion, only("question", "reflection")),
                ],
            )
        } else {
            let talk = field(record, talk);
            (
                Source::AnnomiClient,
                vec![
                    (Task::AnnomiAvoidance, Some(talk == "sustain")),
                    (Task::AnnomiHope, Some(talk == "change")),
                ],
            )
        };
        dataset.examples.push((
            source,
            Example {
                text: field(record, text).to_owned(),
                part,
                labels,
            },
        ));
    }
    Ok(())
}

fn epitome(texts: &CorpusTexts, dataset: &mut Dataset) -> Result<(), CorpusError> {
    // The three files hold the same (seeker post, response) pairs; one example per pair.
    let files = [
        (
            Task::EpitomeSupport,
            "epitome-reddit/emotional-reactions-reddit.csv",
            &texts.epitome_emotional_reactions,
        ),
        (
            Task::EpitomeFacilitation,
            "epitome-reddit/explorations-reddit.csv",
            &texts.epitome_explorations,
        ),
        (
            Task::EpitomeValidation,
            "epitome-reddit/interpretations-reddit.csv",
            &texts.epitome_interpretations,
        ),
    ];
    let mut pairs: Vec<(String, String, Example)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (task, file, content) in files {
        let table = Table::read(file, content)?;
        let (seeker, response_id, response, level) = (
            table.column("sp_id")?,
            table.column("rp_id")?,
            table.column("response_post")?,
            table.column("level")?,
        );
        for (number, record) in table.records.iter().enumerate() {
            let level: u8 =
                field(record, level)
                    .trim()
                    .parse()
                    .map_err(|_| CorpusError::Malformed {
                        file,
                        line: number + 2,
                        problem: "level is not 0, 1 or 2".into(),
                    })?;
            let key = (
                field(record, seeker).to_owned(),
                field(record, response_id).to_owned(),
            );
            let slot = *index.entry(key.clone()).or_insert_with(|| {
                pairs.push((
                    key.0.clone(),
                    key.1.clone(),
                    Example {
                        text: field(record, response).to_owned(),
                        part: part_by_id(&key.0),
                        labels: Vec::new(),
                    },
                ));
                pairs.len() - 1
            });
            if let Some((_, _, example)) = pairs.get_mut(slot) {
                example.labels.push((task, Some(level >= 1)));
            }
        }
    }
    dataset.examples.extend(
        pairs
            .into_iter()
            .map(|(_, _, example)| (Source::Epitome, example)),
    );
    Ok(())
}

fn mrda(
    content: &str,
    file: &'static str,
    part_of_line: impl Fn(usize) -> Part,
    dataset: &mut Dataset,
) -> Result<(), CorpusError> {
    for (number, line) in content.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        // speaker|text|basic|general|full
        let fields: Vec<&str> = line.split('|').collect();
        let (Some(text), Some(full)) = (fields.get(1), fields.get(4)) else {
            return Err(CorpusError::Malformed {
                file,
                line: number + 1,
                problem: "expected speaker|text|basic|general|full".into(),
            });
        };
        let act = full.trim();
        let labels = vec![
            (Task::MrdaChallenge, Some(matches!(act, "ar" | "arp"))),
            (Task::MrdaValidation, Some(matches!(act, "aa" | "ba"))),
            (Task::MrdaAdvice, Some(matches!(act, "co" | "cs"))),
        ];
        dataset.examples.push((
            Source::Mrda,
            Example {
                text: (*text).to_owned(),
                part: part_of_line(number + 1),
                labels,
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> CorpusTexts {
        CorpusTexts {
            goemotions_labels: "anger\ncaring\nneutral\n".into(),
            goemotions_train: "you are awful\t0\tid1\nthat sounds hard, hugs\t1\tid2\n".into(),
            goemotions_dev: "meh\t2\tid3\n".into(),
            davidson: ",count,hate_speech,offensive_language,neither,class,tweet\n\
                       1,3,0,3,0,1,some rude words\n2,3,0,0,3,2,lovely day\n"
                .into(),
            annomi: "transcript_id,interlocutor,utterance_text,main_therapist_behaviour,client_talk_type\n\
                     7,therapist,So you feel stuck.,reflection,n/a\n\
                     7,therapist,What brings you here?,question,n/a\n\
                     7,client,I want to quit.,n/a,change\n"
                .into(),
            epitome_emotional_reactions: "sp_id,rp_id,seeker_post,response_post,level,rationales\n\
                                          s1,r1,help,I'm so sorry,2,\n"
                .into(),
            epitome_explorations: "sp_id,rp_id,seeker_post,response_post,level,rationales\n\
                                   s1,r1,help,I'm so sorry,0,\n"
                .into(),
            epitome_interpretations: "sp_id,rp_id,seeker_post,response_post,level,rationales\n\
                                      s1,r1,help,I'm so sorry,1,\n"
                .into(),
            mrda_train: "a|no i don't think so.|S|s|ar\nb|yeah.|B|b|b\n".into(),
            mrda_eval: "a|let's do it.|S|s|co\n".into(),
        }
    }

    fn label(example: &Example, task: Task) -> Option<bool> {
        example
            .labels
            .iter()
            .find(|(t, _)| *t == task)
            .and_then(|(_, l)| *l)
    }

    #[test]
    fn goemotions_emotions_map_to_their_tasks() {
        let dataset = build(&tiny()).unwrap();
        let (_, insult) = &dataset.examples[0];
        assert_eq!(label(insult, Task::GoemoHostility), Some(true));
        assert_eq!(label(insult, Task::GoemoSupport), Some(false));
        assert_eq!(insult.part, Part::Train);
        let (_, hugs) = &dataset.examples[1];
        assert_eq!(label(hugs, Task::GoemoSupport), Some(true));
        let (_, dev) = &dataset.examples[2];
        assert_ne!(dev.part, Part::Train);
    }

    #[test]
    fn annomi_reflection_and_question_leave_each_other_out() {
        let dataset = build(&tiny()).unwrap();
        let annomi: Vec<_> = dataset
            .examples
            .iter()
            .filter(|(s, _)| matches!(s, Source::AnnomiTherapist | Source::AnnomiClient))
            .collect();
        assert_eq!(annomi.len(), 3);
        let reflection = &annomi[0].1;
        assert_eq!(label(reflection, Task::AnnomiReflection), Some(true));
        assert_eq!(label(reflection, Task::AnnomiQuestion), None);
        let question = &annomi[1].1;
        assert_eq!(label(question, Task::AnnomiReflection), None);
        assert_eq!(label(question, Task::AnnomiQuestion), Some(true));
        assert_eq!(annomi[2].0, Source::AnnomiClient);
        assert_eq!(label(&annomi[2].1, Task::AnnomiHope), Some(true));
        // The whole transcript lands in one part.
        assert!(annomi.iter().all(|(_, e)| e.part == annomi[0].1.part));
    }

    #[test]
    fn epitome_pairs_are_merged_across_the_three_files() {
        let dataset = build(&tiny()).unwrap();
        let pairs: Vec<_> = dataset
            .examples
            .iter()
            .filter(|(s, _)| *s == Source::Epitome)
            .collect();
        assert_eq!(pairs.len(), 1);
        let pair = &pairs[0].1;
        assert_eq!(label(pair, Task::EpitomeSupport), Some(true));
        assert_eq!(label(pair, Task::EpitomeFacilitation), Some(false));
        assert_eq!(label(pair, Task::EpitomeValidation), Some(true));
    }

    #[test]
    fn davidson_hate_or_offensive_is_hostility_and_mrda_acts_map() {
        let dataset = build(&tiny()).unwrap();
        let davidson: Vec<_> = dataset
            .examples
            .iter()
            .filter(|(s, _)| *s == Source::Davidson)
            .map(|(_, e)| label(e, Task::DavidsonHostility))
            .collect();
        assert_eq!(davidson, vec![Some(true), Some(false)]);
        let mrda: Vec<_> = dataset
            .examples
            .iter()
            .filter(|(s, _)| *s == Source::Mrda)
            .collect();
        assert_eq!(label(&mrda[0].1, Task::MrdaChallenge), Some(true));
        assert_eq!(label(&mrda[1].1, Task::MrdaValidation), Some(false));
        assert_eq!(label(&mrda[2].1, Task::MrdaAdvice), Some(true));
        assert_eq!(mrda[2].1.part, Part::Tune);
    }

    #[test]
    fn task_rows_lists_only_labelled_texts_of_the_part() {
        let dataset = build(&tiny()).unwrap();
        let all_parts = |task| -> usize {
            [Part::Train, Part::Tune, Part::Report]
                .iter()
                .map(|p| dataset.task_rows(task, *p).count())
                .sum()
        };
        // The reflection is left out of the question task and vice versa.
        assert_eq!(all_parts(Task::AnnomiQuestion), 1);
        assert_eq!(all_parts(Task::AnnomiReflection), 1);
        assert_eq!(all_parts(Task::AnnomiAdvice), 2);
        assert_eq!(all_parts(Task::GoemoHostility), 3);
    }

    #[test]
    fn a_malformed_goemotions_line_is_an_error_with_its_line() {
        let mut texts = tiny();
        texts.goemotions_train = "only text\n".into();
        let error = build(&texts).unwrap_err();
        assert!(error.to_string().contains("line 1"), "{error}");
    }
}
