#!/usr/bin/env python3
"""TF-IDF word+char n-grams with scikit-learn logistic regression on the coder's own
development split, for comparison with `circlework eval`.

Same corpora, proxy tasks, split rule and decision rule as crates/coding (see
crates/coding/model/MODEL_CARD.md): one logistic head per proxy task trained on the
train part, a code is decided when any of its heads passes its threshold, thresholds
chosen on the tune part, figures quoted on the report part.

Usage: scripts/sklearn_baseline.py ../shared/data   (needs scikit-learn)
"""
import csv
import sys
from collections import defaultdict

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

csv.field_size_limit(1 << 30)


def fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def part_of(key):
    b = fnv1a(key) % 20
    return "train" if b < 14 else ("tune" if b < 17 else "report")


def half_of(key):
    return "tune" if fnv1a(key) % 2 == 0 else "report"


GOEMO = [l.strip() for l in open(sys.argv[1] + "/goemotions/labels.txt")]
GOEMO_TASKS = {
    "goemo-hostility": ("hostility", {"anger", "annoyance", "disgust"}),
    "goemo-judgment": ("judgment", {"disapproval"}),
    "goemo-support": ("support", {"caring"}),
    "goemo-validation": ("validation", {"approval", "admiration", "gratitude"}),
    "goemo-hope": ("hope", {"optimism"}),
    "goemo-emotion": ("emotion", {"sadness", "grief", "fear", "remorse", "nervousness", "embarrassment", "disappointment"}),
}
TASK_CODE = {k: v[0] for k, v in GOEMO_TASKS.items()}
TASK_CODE.update({
    "davidson-hostility": "hostility", "annomi-advice": "advice", "annomi-reflection": "facilitation",
    "annomi-question": "facilitation", "annomi-avoidance": "avoidance", "annomi-hope": "hope",
    "epitome-support": "support", "epitome-facilitation": "facilitation", "epitome-validation": "validation",
    "mrda-challenge": "challenge", "mrda-validation": "validation", "mrda-advice": "advice",
})

# task -> part -> list of (text, label); label None = left out of that task
data = defaultdict(lambda: defaultdict(list))


def load(root):
    for fname, fixed in (("train.tsv", "train"), ("dev.tsv", None)):
        for line in open(f"{root}/goemotions/{fname}", encoding="utf-8"):
            text, ids, cid = line.rstrip("\n").split("\t")
            names = {GOEMO[int(i)] for i in ids.split(",")}
            part = fixed or half_of(cid)
            for task, (_, pos) in GOEMO_TASKS.items():
                data[task][part].append((text, bool(names & pos)))
    with open(f"{root}/davidson-hate-offensive/labeled_data.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            data["davidson-hostility"][part_of(row[""])].append((row["tweet"], row["class"] in ("0", "1")))
    with open(f"{root}/annomi/AnnoMI-simple.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            part = part_of(row["transcript_id"])
            text = row["utterance_text"]
            if row["interlocutor"] == "therapist":
                b = row["main_therapist_behaviour"]
                data["annomi-advice"][part].append((text, b == "therapist_input"))
                data["annomi-reflection"][part].append((text, True if b == "reflection" else (None if b == "question" else False)))
                data["annomi-question"][part].append((text, True if b == "question" else (None if b == "reflection" else False)))
            else:
                t = row["client_talk_type"]
                data["annomi-avoidance"][part].append((text, t == "sustain"))
                data["annomi-hope"][part].append((text, t == "change"))
    for fname, task in (("emotional-reactions", "epitome-support"), ("explorations", "epitome-facilitation"), ("interpretations", "epitome-validation")):
        with open(f"{root}/epitome-reddit/{fname}-reddit.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                data[task][part_of(row["sp_id"])].append((row["response_post"], int(row["level"]) >= 1))
    for fname in ("train_set.txt", "eval_set.txt"):
        for n, line in enumerate(open(f"{root}/mrda/{fname}", encoding="utf-8"), start=1):
            parts = line.rstrip("\n").split("|")
            text, full = parts[1], parts[4]
            part = "train" if fname == "train_set.txt" else ("tune" if n < 8663 else "report")
            data["mrda-challenge"][part].append((text, full in ("ar", "arp")))
            data["mrda-validation"][part].append((text, full in ("aa", "ba")))
            data["mrda-advice"][part].append((text, full in ("co", "cs")))


def f1(pred, gold):
    tp = np.sum(pred & gold); fp = np.sum(pred & ~gold); fn = np.sum(~pred & gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    load(sys.argv[1])
    tasks = list(TASK_CODE)
    alltrain = [t for task in tasks for t, y in data[task]["train"] if y is not None]
    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200000)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=300000)
    uniq = list(dict.fromkeys(alltrain))
    word.fit(uniq); char.fit(uniq)
    vec = lambda texts: hstack([word.transform(texts), char.transform(texts)]).tocsr()
    heads = {}
    for task in tasks:
        rows = [(t, y) for t, y in data[task]["train"] if y is not None]
        X = vec([t for t, _ in rows]); y = np.array([y for _, y in rows])
        heads[task] = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(X, y)
        print("trained", task, file=sys.stderr)
    # scores of every head of a code on every task text of that code
    codes = defaultdict(list)
    for task in tasks:
        codes[TASK_CODE[task]].append(task)
    scores = {}
    for part in ("tune", "report"):
        for task in tasks:
            rows = [(t, y) for t, y in data[task][part] if y is not None]
            X = vec([t for t, _ in rows])
            gold = np.array([y for _, y in rows])
            scores[(part, task)] = (gold, {h: heads[h].predict_proba(X)[:, 1] for h in codes[TASK_CODE[task]]})
    grid = np.linspace(0.02, 0.98, 49)
    thresholds = {}
    for code, hs in codes.items():
        th = {h: 0.5 for h in hs}
        def objective(th):
            total = 0.0
            for task in hs:
                gold, sc = scores[("tune", task)]
                pred = np.zeros(len(gold), bool)
                for h in hs:
                    pred |= sc[h] >= th[h]
                total += f1(pred, gold)[2]
            return total
        for _ in range(3):
            for h in hs:
                best = max(grid, key=lambda v: objective({**th, h: v}))
                th[h] = best
        thresholds.update(th)
    for part in ("tune", "report"):
        print(f"\n{part}: task precision recall f1")
        f1s = []
        for task in tasks:
            gold, sc = scores[(part, task)]
            pred = np.zeros(len(gold), bool)
            for h in codes[TASK_CODE[task]]:
                pred |= sc[h] >= thresholds[h]
            p, r, f = f1(pred, gold)
            own = f1(sc[task] >= thresholds[task], gold)[2]
            f1s.append(f)
            print(f"{task:22s} {p:.3f} {r:.3f} {f:.3f}  (own head alone {own:.3f}, n={len(gold)}, pos={gold.sum()})")
        print(f"{part} macro-F1 {np.mean(f1s):.3f}")


main()
